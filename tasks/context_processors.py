from .models import Notification


def unread_notifications(request) -> dict:
    """The count shown in the navigation bar (one query, only for signed-in users)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"unread_count": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()}
