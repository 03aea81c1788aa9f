"""Plans and sections move to tasks/ (the plan aggregate); their tables stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('bureau', '0005_duties_move_to_tasks'),
        ('plans', '0003_orderings_by_column'),
        ('tasks', '0008_plan_aggregate'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='section',
                name='plan',
            ),
            migrations.RemoveField(
                model_name='section',
                name='parent',
            ),
            migrations.DeleteModel(
                name='Plan',
            ),
            migrations.DeleteModel(
                name='Section',
            ),
            ],
            database_operations=[],
        ),
    ]
