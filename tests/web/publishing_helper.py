"""Run by test_publishing_pds.py's crash test in its own process and data directory:
``setup TEXT`` creates an organization, connects its Bluesky channel to the test PDS
(PG_TEST_* in the environment) and approves a post; ``status POST_ID`` prints the
post's publication record. Each prints one JSON line."""

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
    command, arg = sys.argv[1:3]
    if command == "setup":
        from postguard.web.publishing import services
        from postguard.web.workflow import services as workflow
        from tests.web.conftest import make_world

        world = make_world()
        services.connect_bluesky(
            world["admin"],
            world.channel,
            handle=os.environ["PG_TEST_HANDLE"],
            app_password=os.environ["PG_TEST_APP_PASSWORD"],
            service=os.environ["PG_TEST_PDS_URL"],
        )
        post = workflow.review(world["reviewer"], world.submitted(arg), "approve")
        print(json.dumps({"post": post.pk, "state": post.state}))
    else:
        from postguard.web.publishing.models import Publication
        from postguard.web.workflow.models import OutboxItem, Post

        post = Post.objects.get(pk=int(arg))
        item = OutboxItem.objects.get(post=post)
        pub = Publication.objects.filter(post=post).first()
        print(
            json.dumps(
                {
                    "state": post.state,
                    "remote_id": item.remote_id,
                    "publication": pub.state if pub else None,
                    "attempts": pub.attempts if pub else 0,
                }
            )
        )


if __name__ == "__main__":
    main()
