"""Twilio's REST client, made from credentials in the environment (never from a file).

Used by the call-log source and by the SMS transport; twilio is imported here, when a
site has configured it, and not by the commands that never talk to Twilio.
"""

from __future__ import annotations

import os

from twilio.rest import Client

from intake.config import SecretError, TwilioSpec


def credentials(environ=None) -> tuple[str, str, str]:
    """(username, password, account SID) for the Twilio client, from the environment."""
    env = os.environ if environ is None else environ
    account = env.get("TWILIO_ACCOUNT_SID")
    if not account:
        raise SecretError("environment variable TWILIO_ACCOUNT_SID is not set")
    if env.get("TWILIO_API_KEY") and env.get("TWILIO_API_SECRET"):
        return env["TWILIO_API_KEY"], env["TWILIO_API_SECRET"], account
    if env.get("TWILIO_AUTH_TOKEN"):
        return account, env["TWILIO_AUTH_TOKEN"], account
    raise SecretError("set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET")


def make_client(spec: TwilioSpec):
    user, password, account = credentials()
    client = Client(user, password, account)
    if spec.api_base_url:
        client.api.base_url = spec.api_base_url.rstrip("/")
    return client
