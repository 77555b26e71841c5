"""A real SMTP server for Patron's tests (aiosmtpd, from PyPI via
scripts/setup.sh --with-smtp): listens on a free loopback port, prints the
port on its first line of output, and writes each message it accepts to
DIR/NNNN.json (envelope, decoded subject, headers, text and HTML parts) so
tests read what a member's mailbox would hold.

Like a real server it refuses some recipients, by their local part:
  bounce…@  550 at RCPT (permanent: the sender must give up)
  later…@   451 at RCPT (temporary: try again later)
It stops when its stdin closes (the test that started it ended).

Usage: smtp_sink.py DIR
"""

import asyncio
import email
import email.policy
import json
import os
import socket
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("bounce"):
            return "550 5.1.1 No such mailbox here"
        if local.startswith("later"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = {"text/plain": None, "text/html": None}
        for part in msg.walk():
            kind = part.get_content_type()
            if kind in parts and parts[kind] is None and not part.is_multipart():
                parts[kind] = part.get_content()
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(msg["Subject"] or ""),
            "headers": {k: str(v) for k, v in msg.items()},
            "text": parts["text/plain"],
            "html": parts["text/html"],
        }
        path = os.path.join(self.directory, f"{self.count:06d}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(path + ".tmp", path)
        return "250 Message accepted"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def main(directory):
    port = free_port()
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    loop = asyncio.get_running_loop()
    # Serve until the parent closes our stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    controller.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
