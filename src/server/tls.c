#include "tls.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <gnutls/x509.h>
#include "lobby_log.h"

#define TLS_FILE_MAX (1024 * 1024) /* a chain of a few certificates is a few KiB */
#define TLS_CHAIN_MAX 8

/* A certificate chain and its key.  Never changed once published. */
typedef struct tls_pair {
  gnutls_pcert_st certs[TLS_CHAIN_MAX];
  unsigned ncerts;
  gnutls_privkey_t key;
  /* Earlier pairs stay allocated, chained here, until exit: gnutls does
   * not copy what the callback returns, and a handshake that began before
   * a reload may still be using the older pair. */
  struct tls_pair *older;
} tls_pair;

static _Atomic(tls_pair *) serving;
/* Loads come from the main thread (start-up, SIGHUP); the lock keeps the
 * chain consistent should that ever change. */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static void pair_free(tls_pair *p)
{
  for (unsigned i = 0; i < p->ncerts; i++)
    gnutls_pcert_deinit(&p->certs[i]);
  if (p->key)
    gnutls_privkey_deinit(p->key);
  free(p);
}

/* The whole file into *out (gnutls_free it); the error names the file. */
static lobby_err read_file(const char *what, const char *path, gnutls_datum_t *out)
{
  struct stat st;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    LOBBY_ERROR("tls: cannot read the %s %s: %s", what, path, strerror(errno));
    return LOBBY_EIO;
  }
  lobby_err err = LOBBY_OK;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > TLS_FILE_MAX) {
    LOBBY_ERROR("tls: the %s %s is not a regular file of 1 byte to %d KiB", what, path,
                TLS_FILE_MAX / 1024);
    close(fd);
    return LOBBY_EINVAL;
  }
  out->size = (unsigned)st.st_size;
  out->data = gnutls_malloc(out->size + 1);
  if (!out->data) {
    close(fd);
    return LOBBY_ENOMEM;
  }
  size_t got = 0;
  while (got < out->size) {
    ssize_t n = read(fd, out->data + got, out->size - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      LOBBY_ERROR("tls: cannot read the %s %s: %s", what, path, n < 0 ? strerror(errno) : "cut short");
      err = LOBBY_EIO;
      break;
    }
    got += (size_t)n;
  }
  close(fd);
  if (err != LOBBY_OK) {
    gnutls_free(out->data);
    out->data = NULL;
    return err;
  }
  out->data[out->size] = '\0';
  return LOBBY_OK;
}

/* A private key others can read is as good as published: say so, but
 * serve (the installer may be mid-way through setting modes).  The group
 * lobbyd runs as is meant to read it (0640 root:lobby). */
static void check_key_mode(const char *path)
{
  struct stat st;
  if (stat(path, &st) != 0)
    return;
  if (st.st_mode & (S_IROTH | S_IWOTH))
    LOBBY_WARN("tls: the key %s can be read by every user (mode %04o): chmod 0640 it, owned by "
               "root and lobbyd's group", path, (unsigned)(st.st_mode & 07777));
  else if ((st.st_mode & (S_IRGRP | S_IWGRP)) && st.st_gid != getegid())
    LOBBY_WARN("tls: the key %s can be read by group %u, which is not lobbyd's (mode %04o): chgrp "
               "it to lobbyd's group", path, (unsigned)st.st_gid, (unsigned)(st.st_mode & 07777));
}

/* Whether the first certificate's public key is the key's. */
static bool key_matches(const gnutls_pcert_st *cert, gnutls_privkey_t key)
{
  gnutls_pubkey_t pub = NULL;
  gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};
  bool same = false;
  if (gnutls_pubkey_init(&pub) == 0 && gnutls_pubkey_import_privkey(pub, key, 0, 0) == 0 &&
      gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &a) == 0 &&
      gnutls_pubkey_export2(cert->pubkey, GNUTLS_X509_FMT_DER, &b) == 0)
    same = a.size == b.size && memcmp(a.data, b.data, a.size) == 0;
  gnutls_free(a.data);
  gnutls_free(b.data);
  if (pub)
    gnutls_pubkey_deinit(pub);
  return same;
}

/* Logs what is served: the serial (to tell a renewed certificate from the
 * old one) and the end of its validity, warning when it has passed. */
static void log_certificate(const char *path, const gnutls_pcert_st *cert, unsigned ncerts)
{
  gnutls_x509_crt_t crt;
  unsigned char serial[40];
  size_t serial_len = sizeof serial;
  char hex[2 * sizeof serial + 1] = "", until[32] = "?";
  if (gnutls_x509_crt_init(&crt) != 0)
    return;
  if (gnutls_x509_crt_import(crt, &cert->cert, GNUTLS_X509_FMT_DER) == 0) {
    if (gnutls_x509_crt_get_serial(crt, serial, &serial_len) == 0)
      for (size_t i = 0; i < serial_len; i++)
        snprintf(hex + 2 * i, 3, "%02x", serial[i]);
    time_t end = gnutls_x509_crt_get_expiration_time(crt);
    struct tm tm;
    if (end != (time_t)-1 && gmtime_r(&end, &tm))
      strftime(until, sizeof until, "%Y-%m-%dT%H:%M:%SZ", &tm);
    LOBBY_INFO("tls: serving %s (serial %s, %u certificate(s), valid until %s)", path, hex, ncerts,
               until);
    if (end != (time_t)-1 && end < time(NULL))
      LOBBY_WARN("tls: the certificate %s expired at %s: clients will refuse it", path, until);
  }
  gnutls_x509_crt_deinit(crt);
}

static lobby_err parse_pair(const char *cert_path, const char *key_path, const gnutls_datum_t *cert,
                            const gnutls_datum_t *key, tls_pair *p)
{
  int rc;
  p->ncerts = TLS_CHAIN_MAX;
  rc = gnutls_pcert_list_import_x509_raw(p->certs, &p->ncerts, cert, GNUTLS_X509_FMT_PEM, 0);
  if (rc < 0) {
    p->ncerts = 0;
    LOBBY_ERROR("tls: the certificate %s is not a PEM certificate chain of at most %d: %s",
                cert_path, TLS_CHAIN_MAX, gnutls_strerror(rc));
    return LOBBY_EINVAL;
  }
  if ((rc = gnutls_privkey_init(&p->key)) < 0 ||
      (rc = gnutls_privkey_import_x509_raw(p->key, key, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
    LOBBY_ERROR("tls: the key %s is not an unencrypted PEM private key: %s", key_path,
                gnutls_strerror(rc));
    return LOBBY_EINVAL;
  }
  if (!key_matches(&p->certs[0], p->key)) {
    LOBBY_ERROR("tls: the key %s does not belong to the certificate %s (their public keys differ)",
                key_path, cert_path);
    return LOBBY_EINVAL;
  }
  return LOBBY_OK;
}

lobby_err lobby_tls_load(const char *cert_path, const char *key_path)
{
  gnutls_datum_t cert = {NULL, 0}, key = {NULL, 0};
  tls_pair *p = calloc(1, sizeof *p);
  if (!p)
    return LOBBY_ENOMEM;
  lobby_err err = read_file("certificate", cert_path, &cert);
  if (err == LOBBY_OK)
    err = read_file("key", key_path, &key);
  if (err == LOBBY_OK)
    err = parse_pair(cert_path, key_path, &cert, &key, p);
  gnutls_free(cert.data);
  if (key.data) {
    gnutls_memset(key.data, 0, key.size);
    gnutls_free(key.data);
  }
  if (err != LOBBY_OK) {
    pair_free(p);
    return err;
  }
  check_key_mode(key_path);
  log_certificate(cert_path, &p->certs[0], p->ncerts);
  pthread_mutex_lock(&load_lock);
  p->older = atomic_load(&serving);
  atomic_store(&serving, p);
  pthread_mutex_unlock(&load_lock);
  return LOBBY_OK;
}

int lobby_tls_active(void)
{
  return atomic_load(&serving) != NULL;
}

int lobby_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
                       const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                       gnutls_pcert_st **pcert, unsigned int *pcert_length,
                       gnutls_privkey_t *pkey)
{
  (void)session;
  (void)req_ca_dn;
  (void)nreqs;
  (void)pk_algos;
  (void)pk_algos_length;
  tls_pair *p = atomic_load(&serving);
  if (!p)
    return -1;
  *pcert = p->certs;
  *pcert_length = p->ncerts;
  *pkey = p->key;
  return 0;
}

void lobby_tls_free_all(void)
{
  pthread_mutex_lock(&load_lock);
  tls_pair *p = atomic_exchange(&serving, NULL);
  while (p) {
    tls_pair *older = p->older;
    pair_free(p);
    p = older;
  }
  pthread_mutex_unlock(&load_lock);
}
