#include "db_owner.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lobby_log.h"

static const char *const suffixes[] = {"", "-wal", "-shm"};

static lobby_err dir_of(const char *path, char *out, size_t size)
{
  const char *slash = strrchr(path, '/');
  int n = !slash ? snprintf(out, size, ".")
        : slash == path ? snprintf(out, size, "/")
        : snprintf(out, size, "%.*s", (int)(slash - path), path);
  return n > 0 && (size_t)n < size ? LOBBY_OK : LOBBY_ETOOBIG;
}

static const char *user_name(uid_t uid, char *buf, size_t size)
{
  struct passwd pw, *found = NULL;
  char pwbuf[1024];
  if (getpwuid_r(uid, &pw, pwbuf, sizeof pwbuf, &found) == 0 && found)
    snprintf(buf, size, "%s", found->pw_name);
  else
    snprintf(buf, size, "%lu", (unsigned long)uid);
  return buf;
}

lobby_err db_owner_prepare(const char *db_path, const char *command, db_owner_plan *plan)
{
  char dir[1024], file[1100], owner[64];
  struct stat st;
  uid_t me = geteuid();
  plan->fix = false;
  if (dir_of(db_path, dir, sizeof dir) != LOBBY_OK)
    return LOBBY_ETOOBIG;
  if (me == 0) {
    /* Root can open anything: give the files to whoever owns the
     * directory (the service's state directory), unless that is root. */
    if (stat(dir, &st) == 0 && st.st_uid != 0) {
      plan->fix = true;
      plan->uid = st.st_uid;
      plan->gid = st.st_gid;
    }
    return LOBBY_OK;
  }
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    snprintf(file, sizeof file, "%s%s", db_path, suffixes[i]);
    if (stat(file, &st) == 0 && st.st_uid != me) {
      LOBBY_ERROR("%s: %s belongs to user %s: run this command as that user "
                  "(sudo -u %s lobbyd %s ...), so the service can still write it",
                  command, file, user_name(st.st_uid, owner, sizeof owner), owner, command);
      return LOBBY_EPERM;
    }
  }
  return LOBBY_OK;
}

lobby_err db_owner_finish(const char *db_path, const db_owner_plan *plan)
{
  char file[1100], owner[64];
  lobby_err result = LOBBY_OK;
  if (!plan->fix)
    return LOBBY_OK;
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    snprintf(file, sizeof file, "%s%s", db_path, suffixes[i]);
    if (chown(file, plan->uid, plan->gid) != 0 && errno != ENOENT) {
      LOBBY_ERROR("cannot give %s to user %s: %s", file,
                  user_name(plan->uid, owner, sizeof owner), strerror(errno));
      result = LOBBY_EIO;
    }
  }
  return result;
}

lobby_err db_owner_check_writable(const char *db_path)
{
  char dir[1024], file[1100], owner[64], me[64];
  struct stat st;
  if (dir_of(db_path, dir, sizeof dir) != LOBBY_OK)
    return LOBBY_ETOOBIG;
  /* SQLite creates -wal and -shm beside the database: the directory must
   * be writable too, not only the file. */
  if (access(dir, W_OK | X_OK) != 0) {
    if (stat(dir, &st) != 0)
      LOBBY_ERROR("the database directory %s does not exist", dir);
    else
      LOBBY_ERROR("lobbyd runs as user %s and cannot write the database directory %s "
                  "(owner %s, mode %03o)", user_name(geteuid(), me, sizeof me), dir,
                  user_name(st.st_uid, owner, sizeof owner), (unsigned)(st.st_mode & 0777));
    return LOBBY_EPERM;
  }
  for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
    snprintf(file, sizeof file, "%s%s", db_path, suffixes[i]);
    if (stat(file, &st) == 0 && access(file, R_OK | W_OK) != 0) {
      LOBBY_ERROR("lobbyd runs as user %s and cannot write %s (owner %s, mode %03o): "
                  "give it to the service user (chown %s %s*) or run lobbyd as its owner",
                  user_name(geteuid(), me, sizeof me), file,
                  user_name(st.st_uid, owner, sizeof owner), (unsigned)(st.st_mode & 0777),
                  me, db_path);
      return LOBBY_EPERM;
    }
  }
  return LOBBY_OK;
}
