"""A served worker keeps what it loaded out of the garbage collector's passes."""

import subprocess
import sys

from django.conf import settings

from bureau.runtime import YOUNG_GENERATION_THRESHOLD

PROBE = "import gc, bureau.wsgi; print(gc.get_freeze_count(), gc.get_threshold()[0])"


def test_loading_the_wsgi_application_freezes_the_loaded_objects_and_raises_the_threshold():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    frozen, threshold = map(int, result.stdout.split())
    # Django and the project's modules: tens of thousands of objects no full collection walks again.
    assert frozen > 10_000
    assert threshold == YOUNG_GENERATION_THRESHOLD
