/* lobbyd's periodic jobs, on a thread of their own: notices starting and
 * ending, visitors signed out and anonymised, overdue complaint replies
 * escalated, retention, and the systemd watchdog's ping.
 *
 * They run about once a second and may wait on the store (a table locked
 * by a schema change, a database that answers slowly); on their own
 * thread that delays the next round of jobs, not the long-poll thread's
 * deadlines and hang-ups. */
#ifndef LOBBYD_PERIODIC_JOBS_H
#define LOBBYD_PERIODIC_JOBS_H

#include "lobbyd.h"

typedef struct periodic_jobs periodic_jobs;

/* Starts the thread; d->store, d->events and d->poll must be ready, and
 * outlive periodic_jobs_stop().  The first round runs a second after. */
lobby_err periodic_jobs_start(lobbyd *d, periodic_jobs **out);

/* Stops the thread once its round in progress ends, and frees j.  NULL
 * is ignored. */
void periodic_jobs_stop(periodic_jobs *j);

#endif
