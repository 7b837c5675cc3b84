/* Error codes shared by every Lobby binary.  Every function that can fail
 * returns one of these; callers must look at it. */
#ifndef LOBBY_ERROR_H
#define LOBBY_ERROR_H

typedef enum lobby_err {
  LOBBY_OK = 0,
  LOBBY_ENOMEM,     /* out of memory */
  LOBBY_EINVAL,     /* invalid argument or input */
  LOBBY_ENOTFOUND,  /* the thing asked for does not exist */
  LOBBY_ECONFLICT,  /* the request conflicts with the current state */
  LOBBY_EDUP,       /* a unique value is already taken */
  LOBBY_EIO,        /* a file, database or network operation failed */
  LOBBY_EPERM,      /* the caller may not do this */
  LOBBY_ETOOBIG,    /* input exceeds a size limit */
  LOBBY_ENOSPC,     /* the disk is full: nothing was written */
  LOBBY_EUNAVAIL    /* the database cannot be reached now: nothing was written */
} lobby_err;

const char *lobby_strerror(lobby_err err);

#endif
