from django.db import migrations, models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def count_every_response(apps, schema_editor):
    """The responses already stored get their counts as the answers stand, in one UPDATE
    (as `ResponseQuerySet.count_answers` counts, written out: this is the model then)."""
    Answer = apps.get_model("responses", "Answer")
    Response = apps.get_model("responses", "Response")
    answers = Answer.objects.filter(response=OuterRef("pk")).order_by().values("response")
    counts = {
        "answer_count": Q(),
        "answered_count": ~Q(text=""),
        "agreed_count": Q(status="agreed"),
    }
    Response.objects.update(
        **{
            name: Coalesce(
                Subquery(answers.filter(condition).annotate(n=Count("pk")).values("n")), 0
            )
            for name, condition in counts.items()
        }
    )


class Migration(migrations.Migration):

    dependencies = [
        ('responses', '0019_question_wording_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='response',
            name='answer_count',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Its answers (one per question).'),
        ),
        migrations.AddField(
            model_name='response',
            name='answered_count',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Its answers with words in them.'),
        ),
        migrations.AddField(
            model_name='response',
            name='agreed_count',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Its answers marked agreed.'),
        ),
        migrations.RunPython(count_every_response, migrations.RunPython.noop, elidable=True),
    ]
