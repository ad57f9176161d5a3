"""E-mail: what each notification says, to whom, and how it is sent. All mail is here.

A notification tells someone about a step that has been recorded (a question given to
them, a paper to sign, returned, withdrawn, reopened or signed off, a deadline coming),
so it is put on the task queue once the step commits (`transaction.on_commit`): a step
that rolls back sends nothing, and no request waits on the mail server. The task worker
sends it (`deliver`); a server that is down or slow (`EMAIL_TIMEOUT`) is tried again
later, up to `MAIL_ATTEMPTS` times, then the failure is logged, never raised, so it
cannot undo a step nor stop the worker. Nobody without an e-mail address is mailed,
nor anyone whose account is inactive (they left: their work has gone to someone else).
Subjects are one line, as a line break in a title would void the header; every body
carries the absolute link (`SITE_URL` and the page) to act on.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import Truncator

from responses.models import Answer, Response

logger = logging.getLogger(__name__)

DATE_FORMAT = "l j F Y"  # Monday 20 February 2006
QUESTION_PREVIEW_CHARS = 300

# A mail server that is down for maintenance is usually back within the hour: the
# fifth try comes about 2 h 36 min after the first, then the mail is given up on.
MAIL_ATTEMPTS = 5
RETRY_AFTER = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
)


def may_be_mailed(user: AbstractBaseUser | None) -> bool:
    """Whether `user` can be e-mailed at all: an active account with an address."""
    return user is not None and user.is_active and bool(user.email)


def one_line(text: str) -> str:
    """`text` with every run of spaces and line breaks made one space: safe in a header."""
    return " ".join(text.split())


def page_url(viewname: str, *args: object) -> str:
    """The absolute address of a page, for a mail read outside the application."""
    return settings.SITE_URL.rstrip("/") + reverse(viewname, args=args)


def send_after_commit(
    recipient: AbstractBaseUser | None, subject: str, body: str, *, response: Response
) -> bool:
    """Queue one e-mail for the task worker once the current transaction commits (at
    once outside one).

    False, and nothing queued, when `recipient` cannot be mailed. `response` only names
    what the mail was about if sending fails.
    """
    if not may_be_mailed(recipient):
        return False
    mail = {
        "address": recipient.email,
        "subject": one_line(subject),
        "body": body,
        "response_id": response.pk,
    }
    # robust: the step has committed; a queue that cannot be written to is logged by
    # Django, and must not turn a recorded step into an error page.
    transaction.on_commit(partial(_enqueue, mail, attempt=1), robust=True)
    return True


def deliver(address: str, subject: str, body: str, response_id: int, attempt: int) -> None:
    """Send one queued e-mail: the task worker's part (`tasks.send_notification`).

    A failure of the connection or of SMTP (`OSError`, which `SMTPException` is) may
    pass: the mail is queued again to go after `RETRY_AFTER`, until `MAIL_ATTEMPTS`
    tries have failed; then it is logged as an error. Anything else (an address the
    server can never take) is logged at once. Nothing is raised: the step is recorded,
    and a mail that cannot go must not stop the worker.
    """
    try:
        send_mail(subject, body, None, [address])
    except OSError as error:
        if attempt >= MAIL_ATTEMPTS:
            logger.exception(
                "Could not e-mail %s about response %s: gave up after %d attempts",
                address,
                response_id,
                attempt,
            )
            return
        delay = RETRY_AFTER[min(attempt, len(RETRY_AFTER)) - 1]
        logger.warning(
            "Could not e-mail %s about response %s (attempt %d of %d: %r): trying again in %d s",
            address,
            response_id,
            attempt,
            MAIL_ATTEMPTS,
            error,
            delay.total_seconds(),
        )
        mail = {"address": address, "subject": subject, "body": body, "response_id": response_id}
        _enqueue(mail, attempt=attempt + 1, delay=delay)
    except Exception:
        logger.exception("Could not e-mail %s about response %s", address, response_id)


def _enqueue(
    mail: dict[str, object], *, attempt: int, delay: datetime.timedelta | None = None
) -> None:
    """Put one e-mail on the queue, to run after `delay` where the queue can wait (the
    database queue); a queue that runs tasks at once (the tests') tries again at once."""
    from responses.tasks import send_notification

    task = send_notification
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(**mail, attempt=attempt)


def notify(
    response: Response,
    recipient: AbstractBaseUser | None,
    what: str,
    *,
    link: str,
    comment: str = "",
    comment_label: str = "Comment",
) -> bool:
    """ "<report title> <what>", with the link and any comment: news about the paper."""
    title = one_line(response.report.title)
    body = f"{title} {what}.\n\n{link}\n"
    if comment:
        body += f"\n{comment_label}:\n{comment}\n"
    return send_after_commit(recipient, f"{title} {what}", body, response=response)


def sign_off_news(
    response: Response,
    recipient: AbstractBaseUser | None,
    what: str,
    comment: str = "",
    comment_label: str = "Comment",
) -> bool:
    """A step of sign-off (submitted, approved, returned, withdrawn, reopened, signed off,
    a new lead or signatory): the link is the sign-off page, where the next step is."""
    return notify(
        response,
        recipient,
        what,
        link=page_url("sign_off", response.pk),
        comment=comment,
        comment_label=comment_label,
    )


def question_assigned(
    answer: Answer, assignee: AbstractBaseUser | None, *, by: AbstractBaseUser
) -> bool:
    """Tell `assignee` that `by` gave them the question, with the link to its editor.

    Call it wherever an answer's assignee changes (one answer or many). Nobody is told
    of a question they took themselves, and un-assigning tells nobody.
    """
    if assignee is None or assignee.pk == by.pk:
        return False
    response = answer.response
    number = answer.question.number
    consultation = one_line(response.consultation.title)
    subject = f"Question {number} of {consultation} is assigned to you"
    who = by.get_full_name() or by.get_username()
    question = Truncator(one_line(answer.question.text)).chars(QUESTION_PREVIEW_CHARS)
    body = (
        f"{who} assigned question {number} of {consultation} to you.\n\n"
        f"{number}. {question}\n\n"
        f"Answer it here:\n{page_url('answer_edit', response.pk, number)}\n"
    )
    return send_after_commit(assignee, subject, body, response=response)


def questions_assigned(
    answers: list[Answer], assignee: AbstractBaseUser | None, *, by: AbstractBaseUser
) -> bool:
    """Tell `assignee` once about several questions given in one step: one e-mail
    listing them, not one for each."""
    if len(answers) == 1:
        return question_assigned(answers[0], assignee, by=by)
    if not answers or assignee is None or assignee.pk == by.pk:
        return False
    response = answers[0].response
    consultation = one_line(response.consultation.title)
    numbers = [a.question.number for a in answers]
    who = by.get_full_name() or by.get_username()
    subject = f"{len(numbers)} questions of {consultation} are assigned to you"
    lines = "\n".join(
        f"{a.question.number}. {Truncator(one_line(a.question.text)).chars(QUESTION_PREVIEW_CHARS)}"
        for a in answers
    )
    body = (
        f"{who} assigned questions {', '.join(numbers)} of {consultation} to you.\n\n"
        f"{lines}\n\nYour questions are on the response's page:\n"
        f"{page_url('response', response.pk)}?show=mine\n"
    )
    return send_after_commit(assignee, subject, body, response=response)


def deadline_reminder(
    response: Response,
    recipient: AbstractBaseUser | None,
    *,
    deadline: datetime.date,
    today: datetime.date,
    unanswered: list[str],
    assigned_to_them: list[str],
) -> bool:
    """Remind `recipient` that the response's report is due on `deadline`.

    The lead officer reads every unanswered question; anyone reads the unanswered
    questions assigned to them. The link is the response page, where both are listed.
    """
    report = response.report
    title = one_line(report.title)
    due = format_date(deadline, DATE_FORMAT)
    days = (deadline - today).days
    when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
    lines = [
        f"The report {title} for {report.meeting_body} on "
        f"{format_date(report.meeting_date, DATE_FORMAT)} is due with democratic services "
        f"on {due}: {when}."
    ]
    if recipient is not None and recipient.pk == report.lead_officer_id:
        lines.append(
            f"Still unanswered: {_questions(unanswered)}."
            if unanswered
            else "Every question has an answer."
        )
    if assigned_to_them:
        lines.append(f"Assigned to you and still unanswered: {_questions(assigned_to_them)}.")
    body = "\n\n".join([*lines, page_url("response", response.pk)]) + "\n"
    subject = f"Reminder: {title} is due on {due}"
    return send_after_commit(recipient, subject, body, response=response)


def _questions(numbers: list[str]) -> str:
    """ "question 4", "questions 4 and 7", "questions 4, 7 and 12"."""
    if len(numbers) == 1:
        return f"question {numbers[0]}"
    return f"questions {', '.join(numbers[:-1])} and {numbers[-1]}"


def mentioned(comment, recipient: AbstractBaseUser | None, *, by: AbstractBaseUser) -> bool:
    """Tell `recipient` that `by` mentioned them (`@name`) in a comment, with its words
    and the link to the thread."""
    response = comment.response
    consultation = one_line(response.consultation.title)
    who = by.get_full_name() or by.get_username()
    about = one_line(comment.about)
    subject = f"{who} mentioned you in a comment on {about} of {consultation}"
    body = (
        f"{who} mentioned you in a comment on {about} of {consultation}:\n\n"
        f"{comment.body}\n\nRead and reply here:\n{comment_url(comment)}\n"
    )
    return send_after_commit(recipient, subject, body, response=response)


def comment_url(comment) -> str:
    """The absolute address of a comment's thread, where everyone on the paper reads it."""
    root_id = comment.parent_id or comment.pk
    if comment.answer_id is not None:
        page = page_url("answer_comments", comment.response_id, comment.answer.question.number)
    elif comment.section_id is not None:
        page = page_url("section_comments", comment.response_id, comment.section_id)
    else:
        page = page_url("comments", comment.response_id)
    return f"{page}#comment-{root_id}"
