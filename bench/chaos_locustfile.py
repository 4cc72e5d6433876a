"""The mixed load of `make bench-region` (bench/locustfile.py), recording every request for
`make chaos`: one JSON line per request (start time, page, status, error) in CHAOS_REQUESTS,
and for a question sent or an appointment booked the id of the page the client landed on,
so bench/chaos.py can compare what the client saw succeed with the rows stored.
"""

import json
import os
import re
import threading

from locust import events
from locustfile import Parent, Staff  # noqa: F401 - the user classes Locust runs

LANDED = {
    "ask (send)": re.compile(r"/vragen/([0-9a-f-]{36})/"),
    "booking confirm (send)": re.compile(r"/afspraken/([0-9a-f-]{36})/"),
}
_lock = threading.Lock()
_log = open(os.environ["CHAOS_REQUESTS"], "a", buffering=1)  # noqa: SIM115 - whole run


def _final_url(response) -> str:
    request = getattr(response, "request", None) or getattr(response, "_request", None)
    return str(getattr(request, "url", "") or "")


@events.request.add_listener
def _record(request_type, name, response, exception, start_time, response_time, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    row = {
        "at": start_time,
        "ms": round(response_time or 0),
        "name": name,
        "status": status,
        "error": f"{type(exception).__name__}: {exception}"[:200] if exception else "",
    }
    pattern = LANDED.get(name)
    if pattern and status == 200 and not exception:
        found = pattern.search(_final_url(response))
        row["landed"] = found.group(1) if found else ""
    with _lock:
        _log.write(json.dumps(row) + "\n")
