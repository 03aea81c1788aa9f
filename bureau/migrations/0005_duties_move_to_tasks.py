"""Duties move up to tasks/ with the plan aggregate; their tables stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('bureau', '0004_orderings_by_column'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='dutyitem',
                name='duty',
            ),
            migrations.RemoveField(
                model_name='dutyitem',
                name='tasks',
            ),
            migrations.RemoveField(
                model_name='dutyitem',
                name='units',
            ),
            migrations.DeleteModel(
                name='Duty',
            ),
            migrations.DeleteModel(
                name='DutyItem',
            ),
            ],
            database_operations=[],
        ),
    ]
