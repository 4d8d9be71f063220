"""A local stand-in for Twilio's REST API (the real one cannot be reached from tests).

Serves the documented JSON shapes of the 2010-04-01 API that intake reads — the Calls
list (filtered by ``StartTime>``, paged with ``next_page_uri``), a call's Recordings and a
recording's Transcriptions — so that the real twilio client can be pointed at it.
"""

from __future__ import annotations

import json
import threading
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ACCOUNT = "AC" + "0" * 32
TOKEN = "test-auth-token"


class FakeTwilio:
    def __init__(self):
        self.calls: list[dict] = []
        self.recordings: dict[str, list[dict]] = {}  # call sid -> recordings
        self.transcriptions: dict[str, list[dict]] = {}  # recording sid -> transcriptions
        self.fail_next: list[int] = []  # statuses to answer with before serving normally
        self.requests: list[str] = []
        self.messages: list[dict] = []  # created through the Messages API
        self.refuse_numbers: set[str] = set()  # answered with error 21211 (invalid 'To')
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def add_call(self, sid, direction, from_, to, start, duration, status, transcript=None):
        self.calls.append({
            "sid": sid, "account_sid": ACCOUNT, "from": from_, "to": to, "direction": direction,
            "status": status, "start_time": format_datetime(start), "end_time": format_datetime(start),
            "date_created": format_datetime(start), "date_updated": format_datetime(start),
            "duration": str(duration), "price": None, "price_unit": "USD", "answered_by": None,
            "uri": f"/2010-04-01/Accounts/{ACCOUNT}/Calls/{sid}.json",
            "subresource_uris": {"recordings": f"/2010-04-01/Accounts/{ACCOUNT}/Calls/{sid}/Recordings.json"}})
        if transcript is not None:
            rsid = "RE" + sid[2:]
            self.recordings[sid] = [{"sid": rsid, "account_sid": ACCOUNT, "call_sid": sid, "duration": str(duration),
                                     "status": "completed", "channels": 1, "source": "RecordVerb",
                                     "date_created": format_datetime(start)}]
            self.transcriptions[rsid] = [{"sid": "TR" + sid[2:], "account_sid": ACCOUNT, "recording_sid": rsid,
                                          "status": "completed", "transcription_text": transcript,
                                          "duration": str(duration), "price": None, "type": "fast"}]

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                fake.requests.append(self.path)
                if fake.fail_next:
                    status = fake.fail_next.pop(0)
                    return self._json(status, {"code": 20429 if status == 429 else 20500,
                                               "message": "Too Many Requests" if status == 429 else "Server error",
                                               "status": status})
                u = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(u.query).items()}
                base = f"/2010-04-01/Accounts/{ACCOUNT}"
                if u.path == f"{base}/Calls.json":
                    return self._calls(q)
                if u.path == f"{base}/Recordings.json":
                    recs = fake.recordings.get(q.get("CallSid", ""), [])
                    return self._json(200, _page("recordings", recs, u.path))
                if u.path.startswith(f"{base}/Recordings/") and u.path.endswith("/Transcriptions.json"):
                    rsid = u.path.split("/")[-2]
                    return self._json(200, _page("transcriptions", fake.transcriptions.get(rsid, []), u.path))
                self._json(404, {"code": 20404, "message": "not found", "status": 404})

            def do_POST(self):
                fake.requests.append("POST " + self.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path != f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json":
                    return self._json(404, {"code": 20404, "message": "not found", "status": 404})
                if form.get("To") in fake.refuse_numbers:
                    return self._json(400, {"code": 21211, "message": "The 'To' number is not a valid phone number.",
                                            "status": 400})
                msg = {"sid": f"SM{len(fake.messages):032d}", "account_sid": ACCOUNT, "to": form.get("To"),
                       "from": form.get("From"), "body": form.get("Body"), "status": "queued",
                       "direction": "outbound-api", "num_segments": "1", "uri": self.path}
                fake.messages.append(msg)
                self._json(201, msg)

            def _calls(self, q):
                from datetime import datetime
                from email.utils import parsedate_to_datetime

                after = q.get("StartTime>")
                rows = fake.calls
                if after:
                    t = datetime.strptime(after, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=__import__("datetime").UTC)
                    rows = [c for c in rows if parsedate_to_datetime(c["start_time"]) >= t]
                size = int(q.get("PageSize", 50))
                page = int(q.get("Page", 0))
                chunk = rows[page * size : (page + 1) * size]
                path = f"/2010-04-01/Accounts/{ACCOUNT}/Calls.json"
                nxt = None
                if (page + 1) * size < len(rows):
                    nxt = f"{path}?PageSize={size}&Page={page + 1}" + (f"&StartTime%3E={after}" if after else "")
                payload = _page("calls", chunk, path)
                payload.update(page=page, page_size=size, next_page_uri=nxt)
                self._json(200, payload)

        return Handler


def _page(key, rows, uri):
    return {key: rows, "first_page_uri": uri, "next_page_uri": None, "previous_page_uri": None, "page": 0,
            "page_size": 50, "start": 0, "end": max(len(rows) - 1, 0), "uri": uri}
