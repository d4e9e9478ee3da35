#!/usr/bin/env python3
"""Checks the Audit Dashboard's ledger proofs by RFC 6962, independently of the dashboard's own code.

    python3 verify_proofs.py inclusion PROOF.json [--jwks KEYS.json]
    python3 verify_proofs.py consistency PROOF.json [--jwks KEYS.json]
    python3 verify_proofs.py export EXPORT.ndjson [--jwks KEYS.json]

PROOF.json is what GET /api/accounts/{id}/events/{revision}/proof or GET /api/seals/consistency?from=&to= answered;
EXPORT.ndjson is an NDJSON export made with proofs=true (or the NDJSON file attached to such a PDF): its hash chain, and
every event's proof against the export's seal, leaf compared with the event row (docs/exports.md, "Inclusion proofs");
KEYS.json is GET /api/exports/keys. With --jwks the seals' ES256 signatures are checked too (needs the `cryptography`
package); without it only the Merkle proofs are. Exits 0 when everything checked holds, 1 otherwise.
Only the standard library is needed for the Merkle part (docs/integrity.md describes every byte).
"""
import base64
import datetime
import hashlib
import json
import struct
import sys


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(leaf):
    return sha256(b"\x00" + leaf)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size or index < 0:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, proof):
    """RFC 9162 section 2.1.4.2."""
    if first > second or first < 0:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == sha256(b"")
    if not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_root] + list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


def parse_leaf(leaf):
    """The canonical form of an event (docs/integrity.md, "Leaves"); raises ValueError when it is not one."""
    at = 0

    def take(n):
        nonlocal at
        if at + n > len(leaf):
            raise ValueError("the leaf ends early")
        chunk = leaf[at:at + n]
        at += n
        return chunk

    def counted():
        return take(struct.unpack(">I", take(4))[0])

    if take(1) != b"\x01":
        raise ValueError("unknown leaf format version")
    event = {"position": struct.unpack(">q", take(8))[0], "stream": counted().decode("utf-8")}
    event["revision"] = struct.unpack(">q", take(8))[0]
    event["id"] = take(16).hex()
    event["type"] = counted().decode("utf-8")
    event["data"] = counted()
    event["metadata"] = counted()
    event["recorded_ticks"] = struct.unpack(">q", take(8))[0]
    if at != len(leaf):
        raise ValueError("bytes after the last field")
    return event


def seal_signed_bytes(seal):
    lines = ["audit-seal/1", str(seal["number"]), str(seal["treeSize"]), str(seal["lastPosition"]), seal["rootHash"], seal["sealedAt"], seal["keyId"]]
    return "\n".join(lines).encode("utf-8")


def check_signature(seal, jwks):
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    def b64(text):
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))

    key = next((k for k in jwks["keys"] if k.get("kid") == seal["keyId"]), None)
    if key is None:
        return False
    public = ec.EllipticCurvePublicNumbers(int.from_bytes(b64(key["x"]), "big"), int.from_bytes(b64(key["y"]), "big"), ec.SECP256R1()).public_key()
    raw = b64(seal["signature"])
    if len(raw) != 64:
        return False
    signature = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public.verify(signature, seal_signed_bytes(seal), ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


COLUMNS = ["row", "kind", "global_position", "stream_revision", "recorded_at", "effective_at", "event_type", "event_id",
           "actor", "reason", "correlation_id", "causation_id", "approved_by", "amount", "currency", "balance_after",
           "flag", "problem", "data"]


def export_text(value):
    """A field of an NDJSON export as the hash chain reads it: null is empty, a number as written."""
    return "" if value is None else str(value)


def ticks_text(ticks):
    """100-ns ticks since 1970 as the export writes times: yyyy-MM-ddTHH:mm:ss.fffffffZ."""
    seconds, fraction = divmod(ticks, 10_000_000)
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{fraction:07d}Z"


def payload_text(data):
    """Event data as an export writes it: the UTF-8 text, or base64: and its base64 when it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "base64:" + base64.b64encode(data).decode("ascii")


def check_export(lines):
    """
    Checks an NDJSON export with inclusion proofs: the hash chain, the seal row (row 1), and after every event row its proof
    row, whose leaf must be that row's event and whose audit path must lead to the seal's root. Returns (seal, proven, not
    sealed rows, failures).
    """
    esc = lambda s: s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    rows = [json.loads(line) for line in lines if line.strip()]
    failures, previous, seal, stream, event, proven, unsealed = [], "0" * 64, None, None, None, 0, []
    for expected, row in enumerate(rows):
        fields = [export_text(row.get(c)) for c in COLUMNS]
        name = f"row {row.get('row')}"
        if row.get("row") != expected:
            return seal, proven, unsealed, [f"{name}: expected row {expected}"]
        if hashlib.sha256((previous + "\t" + "\t".join(map(esc, fields))).encode("utf-8")).hexdigest() != row.get("hash"):
            return seal, proven, unsealed, [f"{name} does not match its hash: the row, or one before it, was altered"]
        previous = row["hash"]
        kind = row["kind"]
        if expected == 0:
            header = json.loads(row["data"])
            if header.get("proofs") is not True:
                return seal, proven, unsealed, ["the export carries no inclusion proofs (its header has no \"proofs\": true)"]
            stream = "account-" + header["account"]
        elif expected == 1:
            if kind != "seal":
                return seal, proven, unsealed, [f"{name} is not the seal row"]
            seal = json.loads(row["data"])
        elif event is not None:
            if kind != "proof":
                failures.append(f"row {event['row']}: an event row without a proof row after it")
            else:
                problems = check_export_proof(event, row, seal, stream)
                failures.extend(f"{name}, the proof of row {event['row']}: {p}" for p in problems)
                status = json.loads(row["data"]).get("status")
                if not problems and status == "included":
                    proven += 1
                elif not problems and status == "not-sealed":
                    unsealed.append(event["row"])
            event = None
            if kind == "proof":
                continue
        if kind == "event":
            event = row
        elif kind == "proof":
            failures.append(f"{name}: a proof row that follows no event row")
    return seal, proven, unsealed, failures


def check_export_proof(event, row, seal, stream):
    """What is wrong with one proof row (an empty list when it holds)."""
    if (row["global_position"], row["stream_revision"], row["event_id"]) != (event["global_position"], event["stream_revision"], event["event_id"]):
        return ["it names another event than the row before it"]
    proof = json.loads(row["data"])
    if proof.get("seal") != seal["number"]:
        return [f"it is not against seal {seal['number']}"]
    if proof.get("status") == "not-sealed":
        # Every event up to the seal's last position is one of its leaves: such an event cannot be "not sealed".
        return [] if event["global_position"] > seal["lastPosition"] else [f"it says not sealed, but seal {seal['number']} covers position {event['global_position']}"]
    if proof.get("status") != "included":
        return [f"status {proof.get('status')}: no proof"]
    leaf = base64.b64decode(proof["leaf"], validate=True)
    try:
        fact = parse_leaf(leaf)
    except ValueError as e:
        return [f"the leaf is not an event's canonical form: {e}"]
    expected = {"position": event["global_position"], "stream": stream, "revision": event["stream_revision"],
                "id": event["event_id"].replace("-", ""), "type": event["event_type"], "recorded": event["recorded_at"],
                "data": event["data"]}
    actual = {"position": fact["position"], "stream": fact["stream"], "revision": fact["revision"], "id": fact["id"],
              "type": fact["type"], "recorded": ticks_text(fact["recorded_ticks"]), "data": payload_text(fact["data"])}
    wrong = [k for k in expected if expected[k] != actual[k]]
    if wrong:
        return [f"the leaf is not the event of its row ({', '.join(wrong)} differ)"]
    path = [bytes.fromhex(h) for h in proof["auditPath"]]
    if not verify_inclusion(proof["leafIndex"], seal["treeSize"], leaf_hash(leaf), path, bytes.fromhex(seal["rootHash"])):
        return [f"the audit path does not lead from leaf {proof['leafIndex']} to seal {seal['number']}'s root"]
    return []


def main(argv):
    if len(argv) not in (2, 4) or argv[0] not in ("inclusion", "consistency", "export") or (len(argv) == 4 and argv[2] != "--jwks"):
        print(__doc__, file=sys.stderr)
        return 2
    jwks = None
    if len(argv) == 4:
        with open(argv[3], encoding="utf-8") as f:
            jwks = json.load(f)
    if argv[0] == "export":
        with open(argv[1], encoding="utf-8") as f:
            seal, proven, unsealed, failures = check_export(f.read().split("\n"))
        if seal is not None and jwks is not None and not check_signature(seal, jwks):
            failures.append(f"row 1, seal {seal['number']}: the signature does not hold under key {seal['keyId']}")
        for failure in failures:
            print("FAIL: " + failure, file=sys.stderr)
        if failures:
            return 1
        later = f"; {len(unsealed)} not sealed yet (rows {', '.join(map(str, unsealed))})" if unsealed else ""
        signed = "; seal signature holds" if jwks is not None else "; signatures not checked (no --jwks)"
        print(f"OK: {proven} events proven against seal {seal['number']} (tree size {seal['treeSize']}){later}{signed}")
        return 0
    with open(argv[1], encoding="utf-8") as f:
        doc = json.load(f)

    failures = []
    seals = [doc["seal"]] if argv[0] == "inclusion" else [doc["from"], doc["to"]]
    for seal in seals:
        if jwks is not None and not check_signature(seal, jwks):
            failures.append(f"seal {seal['number']}: the signature does not hold under key {seal['keyId']}")

    if argv[0] == "inclusion":
        seal = doc["seal"]
        leaf = base64.b64decode(doc["leaf"])
        try:
            event = parse_leaf(leaf)
        except ValueError as e:
            failures.append(f"the leaf is not an event's canonical form: {e}")
            event = {}
        if event and (event["position"], event["stream"], event["revision"]) != (doc["position"], doc["streamId"], doc["revision"]):
            failures.append("the leaf is not the event the proof names")
        if leaf_hash(leaf).hex() != doc["leafHash"]:
            failures.append("the leaf hash is not SHA-256(0x00 || leaf)")
        path = [bytes.fromhex(h) for h in doc["auditPath"]]
        # The tree size and root come from the signed seal, never from the unsigned rest of the answer.
        if not verify_inclusion(doc["leafIndex"], seal["treeSize"], leaf_hash(leaf), path, bytes.fromhex(seal["rootHash"])):
            failures.append(f"the audit path does not lead from leaf {doc['leafIndex']} to seal {seal['number']}'s root")
        what = f"{doc['streamId']} revision {doc['revision']} (position {doc['position']}) is leaf {doc['leafIndex']} of seal {seal['number']} (tree size {seal['treeSize']})"
    else:
        older, newer = doc["from"], doc["to"]
        proof = [bytes.fromhex(h) for h in doc["proof"]]
        if not verify_consistency(older["treeSize"], newer["treeSize"], bytes.fromhex(older["rootHash"]), bytes.fromhex(newer["rootHash"]), proof):
            failures.append(f"seal {newer['number']}'s tree does not extend seal {older['number']}'s")
        what = f"seal {newer['number']} (tree size {newer['treeSize']}) extends seal {older['number']} (tree size {older['treeSize']})"

    if failures:
        for failure in failures:
            print("FAIL: " + failure, file=sys.stderr)
        return 1
    print(("OK: " + what) + ("; seal signatures hold" if jwks is not None else "; signatures not checked (no --jwks)"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
