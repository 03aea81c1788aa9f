"""A division confirmed after a plan was imported joins the tasks its plan gave to "各处室"."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from bureau.models import Division

from .models import ALL_DIVISIONS, Assignment, Task


@receiver(post_save, sender=Division, dispatch_uid="tasks_join_all_divisions")
def join_standing_assignments(sender, instance: Division, **kwargs) -> None:
    if not instance.confirmed:
        return
    tasks = Task.objects.current().filter(plan__bureau_id=instance.bureau_id).exclude(all_divisions_role="")
    Assignment.objects.bulk_create(
        [
            Assignment(task_id=pk, division=instance, role=role, written_as=ALL_DIVISIONS)
            for pk, role in tasks.values_list("pk", "all_divisions_role")
        ],
        ignore_conflicts=True,  # a division the task names itself keeps that role
    )
