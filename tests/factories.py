import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from responses.models import (
    Answer,
    CabinetReport,
    Consultation,
    Question,
    ReportSection,
    Response,
    Section,
    SignOff,
    StandardHeading,
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
    responses_due_by = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(30))


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


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    consultation = factory.SubFactory(ConsultationFactory)
    organisation_name = "Anytown Council"
    title = "Draft Response by Anytown Council"


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
    meeting_date = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(20))
    title = factory.LazyAttribute(lambda report: f"Response to {report.response.consultation}")
    portfolio = "Leader"
    portfolio_holder_name = "Councillor Jo Bloggs"
    service_area = "All"
    wards = "All"
    contact_name = "Sam Smith"
    contact_job_title = "Policy Officer"
    contact_email = "sam.smith@example.org"
    director_name = "Alex Jones"


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


class StandardHeadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardHeading

    heading = factory.Sequence(lambda n: f"Standard heading {n}")
    position = factory.Sequence(lambda n: 100 + n)
