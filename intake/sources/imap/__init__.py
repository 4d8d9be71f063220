"""IMAP mailboxes (Exchange/Microsoft 365, Gmail, Dovecot), read with imapclient."""
