"""intake: dealer email and call intake for a sales back office.

The pipeline, one module per step: sources (local.py, imap.py) -> ingest.py
(durable raw items) -> parse.py, reply.py, language.py -> dealers.py (who sent it) ->
rules/ (what it is) -> cases.py (which thread) -> process.py (stage 2 driver);
daemon.py runs it all on a schedule, cli.py is the command line.
"""
