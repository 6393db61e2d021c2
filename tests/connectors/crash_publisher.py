"""Publishes one post through the outbox and stops dead after the network call.

Run by test_bluesky_pds.py's crash test as a subprocess: it records the
intent, publishes to the test PDS, and in the window between the network
call returning and the result being stored it writes ``<breakpoint>.reached``
(with the remote id) and waits to be killed with SIGKILL.

Arguments: OUTBOX_PATH KEY BREAKPOINT. The PDS and the credentials come from
the environment (PG_TEST_PDS_URL, PG_TEST_HANDLE, PG_TEST_APP_PASSWORD), not
the command line, so that they are not visible in the process list.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

from postguard.connectors.base import Credentials, OutgoingPost, Published
from postguard.connectors.bluesky import BlueskyConnector
from postguard.connectors.outbox import SQLiteOutbox, publish_with_intent


def main() -> None:
    outbox_path, key, breakpoint_path = sys.argv[1:4]
    connector = BlueskyConnector(
        Credentials({"app_password": os.environ["PG_TEST_APP_PASSWORD"]}),
        {"service": os.environ["PG_TEST_PDS_URL"], "handle": os.environ["PG_TEST_HANDLE"]},
    )
    store = SQLiteOutbox(outbox_path)

    def pause(published: Published) -> None:
        Path(breakpoint_path + ".reached").write_text(published.remote_id)
        time.sleep(300)  # the test kills us here

    publish_with_intent(
        store,
        connector,
        "bluesky:association",
        OutgoingPost(text=f"World Breastfeeding Week starts on Saturday ({key[:8]})"),
        key,
        lease=timedelta(seconds=1),
        after_send=pause,
    )
    Path(breakpoint_path + ".finished").write_text("the result was stored")


if __name__ == "__main__":
    main()
