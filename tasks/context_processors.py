from .models import Notification


def unread_notifications(request) -> dict:
    """The count shown in the navigation bar: one query a request, however many templates render."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    if not hasattr(request, "_unread_count"):
        request._unread_count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return {"unread_count": request._unread_count}
