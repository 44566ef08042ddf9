"""The ASGI application: settings, app factory + lifespan, request context, errors, CLI."""
