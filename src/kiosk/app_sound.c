/* The kiosk's sound: the emergency sounds its alarm and announcement when
 * it appears and again every [audio] emergency_repeat_s until it is
 * withdrawn; read-aloud speaks a screen's text on request.  The sound
 * itself is made and played on the sound thread (kiosk_audio.h). */
#include "kiosk_app.h"
#include "kiosk_app_internal.h"

#include <stdio.h>
#include <string.h>
#include "lobby_log.h"
#include "lobby_time.h"

/* Long enough to turn heads before the voice starts. */
#define EMERGENCY_ALARM_MS 3000

/* Called at the first tick, not in kiosk_app_init: pinyin's data check
 * is a forked child, and a child forked beside the sound thread hung under
 * ASan (the headless kiosk forks it after kiosk_app_init). */
static void sound_open(kiosk_app *app)
{
  app->sound.opened = true;
  if (!app->cfg.audio.on)
    return;
  /* Headless (tests, screenshots) makes no noise on the machine it runs
   * on unless SDL_AUDIODRIVER asks for a driver (the environment wins
   * over a default hint). */
  if (app->cfg.headless.on)
    SDL_SetHintWithPriority(SDL_HINT_AUDIODRIVER, "dummy", SDL_HINT_DEFAULT);
  if (kiosk_audio_open(&app->sound.audio) != LOBBY_OK) {
    app->sound.audio = NULL;
    LOBBY_WARN("audio: cannot start the sound thread; the kiosk is silent");
  }
}

void kiosk__sound_close(kiosk_app *app)
{
  kiosk_audio_close(app->sound.audio);
  app->sound.audio = NULL;
}

/* Text with a Chinese character is read by the Mandarin voice, the rest
 * by the English one, whatever the screen's language. */
static kiosk_speech_lang text_lang(const char *text)
{
  for (const unsigned char *p = (const unsigned char *)text; *p; p++)
    if (*p >= 0xE3 && *p <= 0xE9) /* U+3000 to U+9FFF: CJK punctuation and ideographs */
      return KIOSK_SPEECH_ZH;
  return KIOSK_SPEECH_EN;
}

static bool quiet_now(const kiosk_app *app)
{
  const kiosk_audio_config *c = &app->cfg.audio;
  if (!c->quiet_on)
    return false;
  lobby_civil t;
  lobby_time_local(kiosk_app_now(app), app->cfg.utc_offset_min, &t);
  int m = t.hour * 60 + t.minute, a = c->quiet_start_min, b = c->quiet_end_min;
  return a < b ? m >= a && m < b : m >= a || m < b;
}

static void sound_emergency(kiosk_app *app, const kiosk_api_notice *n)
{
  static kiosk_sound s; /* 4 KB of text: not on the UI thread's stack */
  memset(&s, 0, sizeof s);
  s.alarm_ms = EMERGENCY_ALARM_MS;
  s.volume = app->cfg.audio.volume; /* quiet hours do not quieten an emergency */
  /* An ASCII full stop: a sentence's pause in both voices. */
  snprintf(s.text, sizeof s.text, "%s. %s", n->title, n->body);
  s.lang = text_lang(s.text);
  kiosk_audio_play(app->sound.audio, &s);
  app->sound.reading[0] = '\0';
  app->sound.emergencies++;
  LOBBY_INFO("audio: emergency sounded (%u)", app->sound.emergencies);
}

/* The sound as staff should see it on the fleet page. */
static kiosk_net_audio audio_health(const kiosk_app *app)
{
  if (!app->cfg.audio.on)
    return KIOSK_NET_AUDIO_OFF;
  if (!app->sound.audio || kiosk_audio_now(app->sound.audio) == KIOSK_AUDIO_NO_DEVICE)
    return KIOSK_NET_AUDIO_NONE;
  return KIOSK_NET_AUDIO_OK;
}

/* Tells the heartbeat when the sound's health changed (the network
 * module may load after the first ticks: until then nothing is told). */
static void report_health(kiosk_app *app)
{
  kiosk_net_audio now = audio_health(app);
  if (now == app->sound.reported || !app->link.net)
    return;
  kiosk_net_report_audio(app->link.net, now);
  app->sound.reported = now;
}

/* The 朗读 button turns back when the reading has been heard out. */
static void reading_tick(kiosk_app *app)
{
  if (app->sound.reading[0] && kiosk_audio_now(app->sound.audio) != KIOSK_AUDIO_PLAYING) {
    app->sound.reading[0] = '\0';
    app->dirty = true;
  }
}

void kiosk__sound_tick(kiosk_app *app)
{
  if (!app->sound.opened)
    sound_open(app);
  report_health(app);
  if (!app->sound.audio)
    return;
  reading_tick(app);
  kiosk_api_notice n;
  bool shown = kiosk_api_notice_view(kiosk_feed_emergency(app), &n) == LOBBY_OK;
  uint64_t key = 0;
  if (shown) {
    char id[32];
    snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT, n.id);
    const char *parts[] = {id, n.title, n.body};
    key = kiosk_alarm_key(parts, 3);
  }
  switch (kiosk_alarm_due(&app->sound.alarm, shown ? &key : NULL, kiosk_app_ms(app),
                          app->cfg.audio.emergency_repeat_s)) {
  case KIOSK_ALARM_PLAY: sound_emergency(app, &n); break;
  case KIOSK_ALARM_STOP:
    kiosk_audio_stop(app->sound.audio);
    LOBBY_INFO("audio: emergency withdrawn, silence");
    break;
  case KIOSK_ALARM_NOTHING: break;
  }
}

/* While reading aloud the loop looks four times a second whether the
 * reading ended, to turn the button back; the rest of the time it sleeps
 * until the emergency's repeat. */
#define READING_CHECK_MS 250

int64_t kiosk__sound_wait_ms(const kiosk_app *app)
{
  if (!app->sound.audio)
    return -1;
  int64_t wait = kiosk_alarm_wait_ms(&app->sound.alarm, kiosk_app_ms(app));
  if (app->sound.reading[0] && (wait < 0 || wait > READING_CHECK_MS))
    wait = READING_CHECK_MS;
  return wait;
}

bool kiosk_app_read_aloud(kiosk_app *app, const char *text)
{
  if (!app->sound.audio || app->sound.alarm.active)
    return false;
  static kiosk_sound s;
  memset(&s, 0, sizeof s);
  s.volume = quiet_now(app) ? app->cfg.audio.quiet_volume : app->cfg.audio.volume;
  snprintf(s.text, sizeof s.text, "%s", text);
  s.lang = text_lang(text);
  kiosk_audio_play(app->sound.audio, &s);
  if (kiosk_audio_now(app->sound.audio) != KIOSK_AUDIO_PLAYING)
    return false; /* no device after all */
  snprintf(app->sound.reading, sizeof app->sound.reading, "%s", text);
  app->dirty = true;
  return true;
}

void kiosk_app_quiet(kiosk_app *app)
{
  if (app->sound.reading[0])
    app->dirty = true;
  app->sound.reading[0] = '\0';
  if (app->sound.audio && !app->sound.alarm.active)
    kiosk_audio_stop(app->sound.audio);
}

bool kiosk_app_can_read_aloud(kiosk_app *app)
{
  return app->sound.audio && !app->sound.alarm.active &&
         kiosk_audio_now(app->sound.audio) != KIOSK_AUDIO_NO_DEVICE;
}

bool kiosk_app_reading_aloud(const kiosk_app *app)
{
  return app->sound.reading[0] != '\0';
}

void kiosk_app_toggle_read_aloud(kiosk_app *app, const char *text)
{
  if (kiosk_app_reading_aloud(app))
    kiosk_app_quiet(app);
  else if (!kiosk_app_read_aloud(app, text))
    LOBBY_INFO("audio: nothing to read aloud with");
}
