/* The TLS settings applied to libcurl (lobby_tls_curl.h). */
#include "lobby_tls_curl.h"

lobby_err lobby_tls_curl_apply(CURL *c, const char *server, const char *ca_file, const char *pin)
{
  if (!lobby_tls_is_https(server))
    return LOBBY_OK;
  CURLcode rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  if (rc == CURLE_OK)
    rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (rc == CURLE_OK && ca_file && *ca_file)
    rc = curl_easy_setopt(c, CURLOPT_CAINFO, ca_file);
  if (rc == CURLE_OK && pin && *pin)
    rc = curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, pin);
  return rc == CURLE_OK ? LOBBY_OK : LOBBY_EINVAL;
}

lobby_tls_failure lobby_tls_curl_failure(CURLcode rc)
{
  switch (rc) {
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_ISSUER_ERROR:
    return LOBBY_TLS_FAIL_UNTRUSTED;
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    return LOBBY_TLS_FAIL_PIN;
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_CERTPROBLEM:
    return LOBBY_TLS_FAIL_CA_FILE;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_SSL_CIPHER:
    return LOBBY_TLS_FAIL_HANDSHAKE;
  default:
    return LOBBY_TLS_FAIL_NONE;
  }
}
