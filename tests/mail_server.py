"""A mail server that accepts connections and never answers, for tests of what a stuck SMTP relay does."""

import socket
import threading

import pytest


@pytest.fixture
def hanging_smtp(settings):
    """A mail server that accepts the connection and never greets: what a stuck relay looks like."""
    listener = socket.create_server(("127.0.0.1", 0))
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", listener.getsockname()[1], 1
    yield
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()
