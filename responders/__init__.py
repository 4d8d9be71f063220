"""Everything that sends. All outgoing mail goes through the outbox (``outbox.py``): it is
queued with the change that causes it and delivered from there by a transport."""
