"""Everything that sends: the outbox and its transports, and (as they are added) the
responders that fill it — receipts, reminders, escalations, forwards."""
