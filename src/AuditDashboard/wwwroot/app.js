// Small helpers the dashboard calls from the server.
window.auditDashboard = {
  // Brings the timeline row of a revision into view by scrolling the timeline's own box only, so the page (and the
  // replay controls the user is working with) stays where it is.
  // The table may draw the row a moment after the page asks (its rows come in after its first render): it is looked
  // for again for about a second.
  revealRevision(revision, attempt = 0) {
    // A later selection replaces the one still looked for.
    if (attempt === 0) {
      window.auditDashboard.revealing = revision;
    } else if (window.auditDashboard.revealing !== revision) {
      return;
    }
    const cell = document.querySelector(`[data-testid="timeline"] [data-revision="${revision}"]`);
    const row = cell && cell.closest("tr");
    const box = row && row.closest(".mud-table-container");
    if (!row || !box) {
      if (attempt < 20) {
        setTimeout(() => window.auditDashboard.revealRevision(revision, attempt + 1), 50);
      }
      return;
    }
    // Measured on screen, whatever the box's positioning: the row below the sticky header, and above the box's bottom.
    const header = box.querySelector("thead");
    const shown = box.getBoundingClientRect();
    const place = row.getBoundingClientRect();
    const top = shown.top + (header ? header.offsetHeight : 0);
    if (place.top < top) {
      box.scrollTop -= top - place.top;
    } else if (place.bottom > shown.bottom) {
      box.scrollTop += place.bottom - shown.bottom;
    }
  },
  // Whether a key goes to the shortcuts: no modifier, typed outside a field (the slider aside: it takes only arrows and
  // its own keys) and while no dialog is open (a dialog's keys are its own).
  isShortcut(event) {
    const target = event.target instanceof Element ? event.target : document.body;
    return !(event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented)
      && (target.matches("input[type=range]")
        || !target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true'], [role=listbox], [role=combobox]"))
      && !document.querySelector(".mud-dialog-container");
  },
  // Sends a page the keys it has shortcuts for, when they are typed outside a field (the slider aside) and while no
  // dialog is open (a dialog's keys are its own). Returns a handle whose dispose() stops listening.
  listenForShortcuts(page, keys) {
    const onKey = (event) => {
      if (!keys.includes(event.key) || !window.auditDashboard.isShortcut(event)
        || (event.target.matches?.("input[type=range], .wb-splitter") && (event.key === "Home" || event.key === "End"))) {
        return;
      }
      event.preventDefault();
      page.invokeMethodAsync("OnShortcutAsync", event.key).catch(() => document.removeEventListener("keydown", onKey));
    };
    document.addEventListener("keydown", onKey);
    return { dispose: () => document.removeEventListener("keydown", onKey) };
  },
  // Copies text to the clipboard; false when the browser refuses (no permission, or not a secure page).
  async copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  },
  // The timeline columns this browser's viewer hid, and keeping a new choice.
  hiddenColumns() {
    try {
      const kept = JSON.parse(localStorage.getItem("auditDashboard.hiddenColumns") || "[]");
      return Array.isArray(kept) ? kept.filter((c) => typeof c === "string") : [];
    } catch {
      return [];
    }
  },
  saveHiddenColumns(columns) {
    try {
      localStorage.setItem("auditDashboard.hiddenColumns", JSON.stringify(columns));
    } catch {
      // Kept for this page only.
    }
  },
  // Keeps the viewer's theme for the pages to come (read by the server when it renders them).
  saveTheme(theme) {
    document.cookie = "theme=" + (theme === "dark" ? "dark" : "light") + ";path=/;samesite=lax;max-age=31536000";
  },
  // Lets the browser download a file from the server, streaming it to disk with the user's cookie (no copy in memory).
  download(url) {
    const link = document.createElement("a");
    link.href = url;
    link.download = "";
    link.rel = "noopener";
    document.body.appendChild(link);
    link.click();
    link.remove();
  },
};

// Shortcuts of every page: "/" goes to the page's search field (the accounts list's, on a page without one), "g" then
// "a" opens the accounts list. Keys typed into a field, or while a dialog is open, stay theirs.
(() => {
  const searchField = () => document.querySelector("input[data-shortcut=search], [data-shortcut=search] input");
  // After a navigation the router focuses the new page's heading: the field is focused until it has kept the focus
  // for a few frames.
  const focusSearchWhenShown = (frames, kept) => {
    const field = searchField();
    if (field && document.activeElement !== field) {
      field.focus();
      kept = 0;
    } else if (field) {
      kept++;
    }
    if (frames > 0 && kept < 10) {
      requestAnimationFrame(() => focusSearchWhenShown(frames - 1, kept));
    }
  };
  let pendingG = 0;
  document.addEventListener("keydown", (event) => {
    if (!window.auditDashboard.isShortcut(event) || !window.Blazor) {
      return;
    }
    if (event.key === "/") {
      event.preventDefault();
      if (!searchField()) {
        Blazor.navigateTo("accounts");
      }
      focusSearchWhenShown(120, 0);
    } else if (event.key === "g") {
      pendingG = Date.now();
    } else if (event.key === "a" && Date.now() - pendingG < 1500) {
      pendingG = 0;
      event.preventDefault();
      Blazor.navigateTo("accounts");
    }
  });
})();

// Follows the live page's connection to the server: while it is lost, the page says so (the banner above the page, and
// "Reconnecting" in place of each "Live" chip). A server that no longer knows the page's session reloads it.
(() => {
  const banner = document.getElementById("components-reconnect-modal");
  if (!banner) {
    return;
  }
  banner.addEventListener("components-reconnect-state-changed", (event) => {
    const state = event.detail.state;
    document.documentElement.toggleAttribute("data-connection-lost", state !== "hide");
    document.documentElement.toggleAttribute("data-connection-given-up", ["failed", "paused", "resume-failed"].includes(state));
    banner.dataset.state = state;
    if (state === "rejected") {
      location.reload();
    }
  });
  // A paused session is resumed; a lost connection is tried again, then the session resumed; failing both, the page
  // reloads.
  document.getElementById("connection-retry").addEventListener("click", async () => {
    try {
      const paused = banner.dataset.state === "paused" || banner.dataset.state === "resume-failed";
      if ((paused || !(await Blazor.reconnect())) && !(await Blazor.resumeCircuit())) {
        location.reload();
      }
    } catch {
      location.reload();
    }
  });
})();

// The account workbench's splitter between the timeline and the inspector: dragged, or moved with the arrow keys when
// focused, it sets the inspector's width, which this browser keeps for the next pages (a CSS variable on the root
// element, which the live page never redraws). Bounded so that the timeline keeps at least half the panes.
(() => {
  const key = "auditDashboard.inspectorWidth";
  const least = 280;
  const apply = (width) => {
    document.documentElement.style.setProperty("--wb-inspector-width", `${Math.round(width)}px`);
    document.querySelectorAll(".wb-splitter").forEach((s) => s.setAttribute("aria-valuenow", String(Math.round(width))));
  };
  const bounded = (splitter, width) => {
    const panes = splitter.closest(".wb-panes");
    const most = panes ? Math.max(least, panes.getBoundingClientRect().width / 2) : 640;
    return Math.min(most, Math.max(least, width));
  };
  const save = (width) => {
    try {
      localStorage.setItem(key, String(Math.round(width)));
    } catch {
      // A browser that keeps nothing still resizes for this page.
    }
  };
  let saved = 0;
  try {
    saved = Number(localStorage.getItem(key));
  } catch {
    // Nothing kept: the default width.
  }
  if (saved >= least) {
    apply(saved);
  }
  const inspectorWidth = (splitter) => splitter.closest(".wb-panes")?.querySelector(".wb-inspector")?.getBoundingClientRect().width ?? least;

  document.addEventListener("pointerdown", (event) => {
    const splitter = event.target instanceof Element ? event.target.closest(".wb-splitter") : null;
    if (!splitter || event.button !== 0) {
      return;
    }
    event.preventDefault();
    const startX = event.clientX;
    const startWidth = inspectorWidth(splitter);
    let width = startWidth;
    let moved = false;
    try {
      splitter.setPointerCapture(event.pointerId);
    } catch {
      // Without capture the drag still follows the pointer over the splitter.
    }
    const move = (e) => {
      moved = true;
      width = bounded(splitter, startWidth + (startX - e.clientX));
      apply(width);
    };
    // A click keeps the width as it was (the window's default stays responsive); a drag keeps where it ended.
    const end = () => {
      splitter.removeEventListener("pointermove", move);
      splitter.removeEventListener("pointerup", end);
      splitter.removeEventListener("pointercancel", end);
      splitter.removeEventListener("lostpointercapture", end);
      if (moved) {
        save(width);
      }
    };
    splitter.addEventListener("pointermove", move);
    splitter.addEventListener("pointerup", end);
    splitter.addEventListener("pointercancel", end);
    splitter.addEventListener("lostpointercapture", end);
  });

  // A focused splitter tells assistive technology the inspector's width as it is.
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof Element && event.target.matches(".wb-splitter")) {
      event.target.setAttribute("aria-valuenow", String(Math.round(inspectorWidth(event.target))));
      event.target.setAttribute("aria-valuemax", String(Math.round(bounded(event.target, Number.MAX_SAFE_INTEGER))));
    }
  });

  document.addEventListener("keydown", (event) => {
    const splitter = event.target instanceof Element ? event.target.closest(".wb-splitter") : null;
    const steps = { ArrowLeft: 16, ArrowRight: -16, Home: -Infinity, End: Infinity };
    if (!splitter || !(event.key in steps)) {
      return;
    }
    event.preventDefault();
    // ← / → by 16 px; Home the narrowest inspector, End the widest.
    const width = bounded(splitter, inspectorWidth(splitter) + steps[event.key]);
    apply(width);
    save(width);
  });
})();
