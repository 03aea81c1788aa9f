"""A synthetic province for measuring the app at scale (python manage.py bench)."""
