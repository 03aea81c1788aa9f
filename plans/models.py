"""plans/ holds no models: what a plan document becomes lives in tasks/ (tasks.models.Plan)."""
