// Small helpers the dashboard calls from the server.
window.auditDashboard = {
  // Brings the timeline row of a revision into view by scrolling the timeline's own box only, so the page (and the
  // replay controls the user is working with) stays where it is.
  revealRevision(revision) {
    const cell = document.querySelector(`[data-testid="timeline"] [data-revision="${revision}"]`);
    const row = cell && cell.closest("tr");
    const box = row && row.closest(".mud-table-container");
    if (!row || !box) {
      return;
    }
    const header = box.querySelector("thead");
    const top = row.offsetTop - (header ? header.offsetHeight : 0);
    const bottom = row.offsetTop + row.offsetHeight;
    if (top < box.scrollTop) {
      box.scrollTop = top;
    } else if (bottom > box.scrollTop + box.clientHeight) {
      box.scrollTop = bottom - box.clientHeight;
    }
  },
};
