"""Run by test_takedown_pds.py's kill test in its own process and data directory:
``setup URI TEXT`` makes an organization, connects its Bluesky channel to the test PDS
(PG_TEST_* in the environment), imports the post URI into its archive and has the chair
take it down; ``status ID`` prints the take-down's state. Each prints one JSON line."""

from __future__ import annotations

import json
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "postguard.web.settings")
    os.makedirs(os.environ["POSTGUARD_DATA_DIR"], exist_ok=True)
    from postguard.web.setup import configure

    configure()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from postguard.web.takedown import services
    from postguard.web.takedown.models import TakeDown

    command = sys.argv[1]
    if command == "setup":
        from postguard.web.publishing import services as publishing
        from tests.web.conftest import make_world
        from tests.web.takedown_helper import report, report_line

        uri, text = sys.argv[2:4]
        world = make_world()
        publishing.connect_bluesky(
            world["admin"],
            world.channel,
            handle=os.environ["PG_TEST_HANDLE"],
            app_password=os.environ["PG_TEST_APP_PASSWORD"],
            service=os.environ["PG_TEST_PDS_URL"],
        )
        services.import_report(
            world["chair"], world.channel, services.iter_lines([report(report_line(uri, text))])
        )
        item = world.channel.archive_items.get()
        [td] = services.request_takedown(
            world["chair"], world.channel.pk, [item.pk], "Names a client and her number."
        ).created
        print(json.dumps({"takedown": td.pk, "state": td.state}))
    else:
        from postguard.web.audit.models import AuditEntry
        from postguard.web.audit.services import verify

        td = TakeDown.objects.get(pk=int(sys.argv[2]))
        deleted = AuditEntry.objects.filter(action="takedown.deleted", object_id=str(td.pk))
        print(
            json.dumps(
                {
                    "state": td.state,
                    "attempts": td.attempts,
                    "recorded": [e.after["text"] for e in deleted],
                    "audit_ok": verify().ok,
                }
            )
        )


if __name__ == "__main__":
    main()
