#!/usr/bin/env bash
# Start a throwaway Dovecot (IMAP on 127.0.0.1:$IMAP_PORT) whose config and mail live in $DOVE_DIR.
# Users: "dealer" and "second", password "secret". Never reads /etc/dovecot.
set -euo pipefail
: "${DOVE_DIR:?}" "${IMAP_PORT:?}"
command -v dovecot >/dev/null || { echo "dovecot not installed (apt-get install dovecot-imapd)" >&2; exit 3; }
if [ "$(id -u)" = 0 ]; then
  MAIL_UID=$(id -u nobody); MAIL_GID=$(id -g nobody)
  LOGIN_USER=dovenull; INTERNAL_USER=dovecot; INTERNAL_GROUP=dovecot
else
  MAIL_UID=$(id -u); MAIL_GID=$(id -g)
  LOGIN_USER=$(id -un); INTERNAL_USER=$(id -un); INTERNAL_GROUP=$(id -gn)
fi
mkdir -p "$DOVE_DIR"/{run,state,mail}
chmod 755 "$DOVE_DIR"
chown "$MAIL_UID:$MAIL_GID" "$DOVE_DIR/mail"
{
  for u in dealer second; do
    echo "$u:{PLAIN}secret:$MAIL_UID:$MAIL_GID::$DOVE_DIR/mail/$u::"
  done
} > "$DOVE_DIR/users"
cat > "$DOVE_DIR/dovecot.conf" <<CONF
protocols = imap
listen = 127.0.0.1
base_dir = $DOVE_DIR/run
state_dir = $DOVE_DIR/state
instance_name = intake-test-$IMAP_PORT
log_path = $DOVE_DIR/dovecot.log
info_log_path = $DOVE_DIR/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
default_login_user = $LOGIN_USER
default_internal_user = $INTERNAL_USER
default_internal_group = $INTERNAL_GROUP
first_valid_uid = 1
mail_location = maildir:~/Maildir:LAYOUT=fs
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DOVE_DIR/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DOVE_DIR/users
}
namespace inbox {
  inbox = yes
  separator = /
}
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
CONF
# The master keeps the caller's stderr open: redirect, or a caller capturing output waits forever.
dovecot -c "$DOVE_DIR/dovecot.conf" </dev/null >/dev/null 2>"$DOVE_DIR/startup.err" \
  || { cat "$DOVE_DIR/startup.err" >&2; exit 1; }
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/$IMAP_PORT) 2>/dev/null && exit 0
  sleep 0.05
done
echo "dovecot did not open port $IMAP_PORT; see $DOVE_DIR/dovecot.log" >&2
exit 1
