from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..models import Notification


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = list(Notification.objects.filter(recipient=request.user).select_related("task", "sender")[:200])
    unread = [n.pk for n in notifications if n.read_at is None]
    if unread:
        # Opening the list reads them; the page still marks which ones were new.
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return render(request, "tasks/notification_list.html", {"notifications": notifications, "unread": set(unread)})
