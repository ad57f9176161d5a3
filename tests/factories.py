import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from responses import roles
from responses.models import (
    Answer,
    AuditEvent,
    CabinetReport,
    Consultation,
    CouncilSettings,
    Question,
    ReminderSent,
    ReportSection,
    Response,
    Section,
    SignOff,
    Suggestion,
)

PASSWORD = "a-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save()

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get(name=name) for name in extracted))


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    title = factory.Sequence(lambda n: f"Consultation {n}")
    issued_by = "Department for Levelling Up"
    responses_due_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(30))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    consultation = factory.SubFactory(ConsultationFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    consultation = factory.SelfAttribute("section.consultation")
    number = factory.Sequence(lambda n: str(n + 1))
    text = factory.Faker("sentence")
    position = factory.Sequence(lambda n: n)


def _drafters():
    return get_user_model().objects.filter(groups__name__in=[roles.OFFICER, roles.LEAD_OFFICER])


def _lead():
    return get_user_model().objects.filter(groups__name=roles.LEAD_OFFICER).order_by("pk").first()


class ResponseFactory(factory.django.DjangoModelFactory):
    """A response whose team is, unless given, every officer and lead officer there is."""

    class Meta:
        model = Response
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    organisation_name = "Anytown Council"
    title = "Draft Response by Anytown Council"

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if create:
            self.team.set(_drafters() if extracted is None else extracted)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(
        QuestionFactory, section__consultation=factory.SelfAttribute("...response.consultation")
    )
    text = factory.Faker("paragraph")
    status = Answer.Status.DRAFTING


class CabinetReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CabinetReport

    response = factory.SubFactory(ResponseFactory)
    meeting_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(20))
    title = factory.LazyAttribute(lambda report: f"Response to {report.response.consultation}")
    portfolio = "Leader"
    portfolio_holder_name = "Councillor Jo Bloggs"
    service_area = "All"
    wards = "All"
    contact_name = "Sam Smith"
    contact_job_title = "Policy Officer"
    contact_email = "sam.smith@example.org"
    director_name = "Alex Jones"
    lead_officer = factory.LazyFunction(_lead)


class ReportSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSection

    report = factory.SubFactory(CabinetReportFactory)
    heading = factory.Sequence(lambda n: f"Heading {n}")
    body = factory.Faker("paragraph")
    position = factory.Sequence(lambda n: n)


class SignOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignOff

    report = factory.SubFactory(CabinetReportFactory)
    role = SignOff.Role.EXECUTIVE_DIRECTOR
    user = factory.SubFactory(UserFactory)
    decision = SignOff.Decision.APPROVED
    content_digest = "0" * 64


def council_settings(
    name: str = "Anytown Borough Council", headings: list[str] | None = None, **fields
) -> CouncilSettings:
    """The council's one settings row, named and with these headings (a new
    installation's neutral list unless given), as an administrator would save it."""
    settings = CouncilSettings.load()
    settings.name = name
    if headings is not None:
        settings.report_headings = "\n".join(headings)
    for field, value in fields.items():
        setattr(settings, field, value)
    settings.full_clean()
    settings.save()
    return settings


def response_with_questions(count: int, *, per_section: int = 5, report: bool = True) -> Response:
    """A response to a consultation of `count` questions in chapters of sub-sections.

    Written with bulk inserts: quick enough for 3,500 questions in a benchmark.
    """
    response = ResponseFactory()
    consultation = response.consultation
    chapters = Section.objects.bulk_create(
        Section(consultation=consultation, title=f"Chapter {c + 1}", position=c * 1000)
        for c in range((count + per_section * 4 - 1) // (per_section * 4))
    )
    subs = Section.objects.bulk_create(
        Section(
            consultation=consultation,
            parent=chapter,
            title=f"Sub-section {c + 1}.{s + 1}",
            position=chapter.position + s * 100,
        )
        for c, chapter in enumerate(chapters)
        for s in range(4)
    )
    questions = Question.objects.bulk_create(
        Question(
            consultation=consultation,
            section=subs[n // per_section],
            number=str(n + 1),
            text=f"Question text {n + 1}: how should councils respond to this proposal?",
            position=subs[n // per_section].position + 1 + n % per_section,
        )
        for n in range(count)
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=question,
            text=(
                f"Answer {question.number}: the council **broadly agrees**, and *asks* for "
                "guidance.\n\n- one point\n- another point"
            )
            if int(question.number) % 7
            else "",
            status=Answer.Status.DRAFTING,
        )
        for question in questions
    )
    if report:
        CabinetReportFactory(response=response)
    return response


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    response = factory.SubFactory(ResponseFactory)
    kind = AuditEvent.Kind.SUBMITTED
    actor = factory.SubFactory(UserFactory)
    summary = "Submitted for sign-off"


def standard_report(response: Response | None = None, **details) -> CabinetReport:
    """A report made as the app makes one: through the service, with the standard headings."""
    from responses import services

    built = CabinetReportFactory.build(response=response or ResponseFactory(), **details)
    fields = {
        f.name: getattr(built, f.name)
        for f in CabinetReport._meta.concrete_fields
        if f.name not in ("id", "response", "version")
        # the council's setting, unless the test says otherwise
        and (f.name != "number_paragraphs" or f.name in details)
    }
    return services.create_report(built.response, fields)


def staff(response: Response, *, officer, lead, director, portfolio_holder) -> Response:
    """Give a response its team (the officer), lead officer and both signatories."""
    response.team.add(officer)
    report = response.report
    report.lead_officer, report.director_user = lead, director
    report.portfolio_holder_user = portfolio_holder
    report.save()
    return response


class ReminderSentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderSent

    response = factory.SubFactory(ResponseFactory)
    recipient = factory.SubFactory(UserFactory)
    kind = ReminderSent.Kind.REPORT_DEADLINE
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(3))


class SuggestionFactory(factory.django.DjangoModelFactory):
    """An open suggestion on an answer, as made on its current version."""

    class Meta:
        model = Suggestion

    answer = factory.SubFactory(AnswerFactory)
    response = factory.SelfAttribute("answer.response")
    made_on_version = factory.SelfAttribute("answer.version")
    base_text = factory.SelfAttribute("answer.text")
    text = factory.Faker("paragraph")
    author = factory.SubFactory(UserFactory)
