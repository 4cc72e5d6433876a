"""The SMTP sink of `make chaos`: accepts mail on 127.0.0.1 and writes one JSON line per
message (arrival time, Message-ID, recipients) to the file given; while the refuse file
exists it answers every recipient with a temporary refusal (451), as a relay that is down.

    python bench/chaos_sink.py PORT RECEIVED.jsonl REFUSE-FLAG
"""

import json
import sys
import threading
import time
from email.parser import BytesHeaderParser
from pathlib import Path

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, received: Path, refuse: Path):
        self.received = received
        self.refuse = refuse
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse.exists():
            return "451 4.3.2 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        headers = BytesHeaderParser().parsebytes(envelope.content)
        line = json.dumps(
            {
                "at": time.time(),
                "message_id": (headers.get("Message-ID") or "").strip(),
                "to": envelope.rcpt_tos,
            }
        )
        with self.lock, self.received.open("a") as handle:
            handle.write(line + "\n")
        return "250 OK"


def main() -> None:
    port, received, refuse = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    controller = Controller(Handler(received, refuse), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
