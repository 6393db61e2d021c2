"""The playbooks an organization starts with, for the committee to adapt
(IPALA policy section 3: "The IPALA Communications & Technical Standing
Committee will develop procedures for addressing complaints, handling
negative comments, and responding to crises")."""

from __future__ import annotations

from django.contrib.auth.models import User

from postguard.web.inbox.models import Playbook, Priority, Situation
from postguard.web.inbox.services import StepData, save_playbook, save_rule
from postguard.web.inbox.triage import COMPLAINT, CONSULT, CRISIS, HARASSMENT, NEGATIVE, PRIVACY
from postguard.web.orgs.models import Organization, Role

#: IBLCE advisory opinion, "Provision of Care": the plan for online requests
#: for consultation. No advice in public; the limits of online help; a closed
#: channel or a booked consultation, where consent, records and contact with
#: the person's other care providers are possible.
CONSULT_TEMPLATE = (
    "Thank you for reaching out, {author}, and we are sorry things are hard right now. "
    "We cannot give individual advice in a public comment. Online, no lactation consultant "
    "can examine the breast or a baby's mouth, or watch a feed and the latch in person, and "
    "those matter. Please send us a private message or book a consultation with an IBCLC "
    "(our member directory lists consultants near you). In a private consultation we can ask "
    "for consent, keep proper records and, if you wish, talk with your other care providers. "
    "If you are worried about your baby's health today, please contact your midwife, doctor "
    "or health visitor."
)

#: The same for networks with short posts (Bluesky 300, X 280): offered there instead.
CONSULT_SHORT = (
    "{author}, thanks for asking. We can't give individual advice in public, and online "
    "help has limits. Please book a consultation with an IBCLC or send us a private "
    "message. Worried about your baby's health today? Call your midwife or doctor."
)

COMPLAINT_TEMPLATE = (
    "Thank you for telling us, {author}. We take this seriously and want to understand "
    "what happened. Please send us a private message with a way to contact you, and a "
    "member of our committee will get back to you within two working days."
)

NEGATIVE_TEMPLATE = (
    "Thank you for your feedback, {author}. We are sorry this was your experience; we "
    "read every comment and will pass this on to the committee."
)

#: Says only what the association can do from a public reply: postguard sends no
#: private message, so the template asks for one instead of claiming one was sent.
#: Short enough for Bluesky's 300 characters with a handle.
CRISIS_TEMPLATE = (
    "{author}, we are worried by what you wrote and sorry you are going through this. "
    "If you or your baby are in danger, please call your local emergency number now. "
    "A crisis line can talk with you any time, day or night. "
    "Please send us a private message so that we can talk."
)

CRISIS_SHORT = (
    "{author}, we are worried by what you wrote. If you or your baby are in danger, please "
    "call your local emergency number now. A crisis line can talk with you day or night. "
    "Please send us a private message."
)

#: A default template and the shorter text offered where the network's limit is too
#: small for it (inbox.services.templates_for picks the one that fits).
SHORT_VARIANTS = {CONSULT_TEMPLATE: CONSULT_SHORT, CRISIS_TEMPLATE: CRISIS_SHORT}

#: The crisis template as first shipped, which promised a private message nobody sent;
#: migration 0006 replaces it in the playbooks organizations already have.
OLD_CRISIS_TEMPLATE = (
    "{author}, we are concerned by what you wrote and we are sorry you are going "
    "through this. If you or your baby are in danger, please call your local emergency "
    "number now. You can also talk to someone at a crisis line any time, day or night. "
    "We have sent you a private message."
)

PRIVACY_TEMPLATE = (
    "Thank you for your comment, {author}. To protect your family's privacy we have "
    "hidden it, because it included personal details. Please send us a private message "
    "if you would like to continue the conversation."
)

HARASSMENT_TEMPLATE = (
    "We welcome different views here, but not personal attacks. Comments that harass "
    "others are hidden under our community guidelines."
)

DEFAULT_PLAYBOOKS: dict[str, tuple[str, str, list[StepData]]] = {
    Situation.COMPLAINT: (
        "Complaint",
        "A complaint about the association, its members or its services.",
        [
            StepData(
                "Acknowledge publicly and move to a private channel",
                Role.AUTHORIZED,
                240,
                COMPLAINT_TEMPLATE,
            ),
            StepData("Tell the chair and record the facts", Role.CHAIR, 24 * 60),
            StepData("Investigate and answer the person privately", Role.CHAIR, 5 * 24 * 60),
            StepData("Close the case with the outcome", Role.CHAIR, 10 * 24 * 60),
        ],
    ),
    Situation.NEGATIVE: (
        "Negative comment",
        "Negative feedback that is not a formal complaint.",
        [
            StepData(
                "Read and decide whether to answer", Role.AUTHORIZED, 24 * 60, NEGATIVE_TEMPLATE
            ),
            StepData("Tell the chair (IPALA policy section 3)", Role.CHAIR, 2 * 24 * 60),
        ],
    ),
    Situation.CRISIS: (
        "Crisis",
        "Someone at risk, or a surge of negative comments that threatens the association.",
        [
            StepData(
                "Chair takes charge; check on the person's safety", Role.CHAIR, 30, CRISIS_TEMPLATE
            ),
            StepData("Pause scheduled posts on the channel", Role.ADMIN, 60),
            StepData("Agree a holding statement with the committee", Role.CHAIR, 4 * 60),
            StepData("Review and close", Role.CHAIR, 7 * 24 * 60),
        ],
    ),
    Situation.CONSULT_REQUEST: (
        "Consultation request",
        "Someone asks for individual help in public. IBLCE advisory opinion, Provision of "
        "Care: explain the limits of online help and invite them to a closed channel or a "
        "booked consultation.",
        [
            StepData(
                "Answer with the consultation-request template",
                Role.AUTHORIZED,
                8 * 60,
                CONSULT_TEMPLATE,
            ),
            StepData("Follow up in the private channel", Role.AUTHORIZED, 2 * 24 * 60),
        ],
    ),
    Situation.PRIVACY: (
        "Privacy breach by a commenter",
        "A commenter posted personal or health details (theirs or their baby's) publicly.",
        [
            StepData(
                "Hide the comment and tell the person why", Role.CHAIR, 2 * 60, PRIVACY_TEMPLATE
            ),
            StepData("Continue privately if they asked for help", Role.AUTHORIZED, 24 * 60),
        ],
    ),
    Situation.HARASSMENT: (
        "Harassment",
        "Abuse of the association, its members or other commenters.",
        [
            StepData(
                "Hide the comment and note the reason", Role.CHAIR, 4 * 60, HARASSMENT_TEMPLATE
            ),
            StepData("Decide on blocking or reporting to the network", Role.CHAIR, 2 * 24 * 60),
        ],
    ),
}


def install_defaults(org: Organization, user: User | None = None) -> list[Playbook]:
    """The default playbooks (only for situations without one) and the rule to the chair."""
    made = []
    for situation, (name, description, steps) in DEFAULT_PLAYBOOKS.items():
        if not Playbook.objects.filter(org=org, situation=situation).exists():
            made.append(save_playbook(user, org, situation, name, steps, description))
    if not org.escalation_rules.exists():
        save_rule(
            user,
            org,
            name="Negative feedback, complaints and crises to the chair",
            categories=[CRISIS, COMPLAINT, NEGATIVE, HARASSMENT, PRIVACY],
            min_priority=Priority.NORMAL,
            notify_roles=[Role.CHAIR],
            open_case=True,
        )
        save_rule(
            user,
            org,
            name="Consultation requests to the members who respond",
            categories=[CONSULT],
            min_priority=Priority.HIGH,
            notify_roles=[Role.AUTHORIZED],
            open_case=True,
        )
    return made
