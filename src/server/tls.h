/* lobbyd's TLS certificate and key: loaded and checked at start, re-read
 * at SIGHUP, handed to libmicrohttpd's GnuTLS handshakes through a
 * certificate callback.  GnuTLS's callback carries no context, so this is
 * one serving pair per process. */
#ifndef LOBBYD_TLS_H
#define LOBBYD_TLS_H

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include "lobby_error.h"

/* TLS 1.2 and 1.3 only, forward-secret key exchanges, AEAD ciphers. */
#define LOBBY_TLS_PRIORITIES                                                             \
  "SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-RSA:-AES-128-CBC:-AES-256-CBC:"        \
  "-CAMELLIA-128-CBC:-CAMELLIA-256-CBC:-CAMELLIA-128-GCM:-CAMELLIA-256-GCM:%SERVER_PRECEDENCE"

/* Reads the PEM certificate (a chain may follow the server's own) and
 * key, checks that they belong together and publishes them for new
 * handshakes.  On failure nothing changes and the error logged names the
 * file and why; the pair served before (if any) stays. */
lobby_err lobby_tls_load(const char *cert_path, const char *key_path);

/* Whether a pair is published. */
int lobby_tls_active(void);

/* For MHD_OPTION_HTTPS_CERT_CALLBACK: the published pair. */
int lobby_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
                       const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                       gnutls_pcert_st **pcert, unsigned int *pcert_length,
                       gnutls_privkey_t *pkey);

/* Frees every pair loaded; only after the daemon has stopped, since a
 * handshake may still use an older pair until then. */
void lobby_tls_free_all(void);

#endif
