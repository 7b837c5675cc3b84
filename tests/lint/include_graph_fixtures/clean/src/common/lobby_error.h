/* Error codes. */
#ifndef LOBBY_ERROR_H
#define LOBBY_ERROR_H
typedef enum { LOBBY_OK, LOBBY_EIO } lobby_err;
const char *lobby_strerror(lobby_err err);
#endif
