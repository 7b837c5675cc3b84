/* The commands lobbyctl runs (ctl_cmd_<area>.c), each taking the words
 * after its name; ctl_main.c's table maps names to them.  Apart from
 * ctl.h so the shared helpers (ctl_cmd.h, ctl_http.h) need not see them. */
#ifndef CTL_COMMANDS_H
#define CTL_COMMANDS_H

#include "ctl.h"

ctl_exit ctl_cmd_notice_post(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_notice_list(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_notice_withdraw(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_notice_image(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_kiosk_add(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_kiosk_list(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_kiosk_revoke(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_repair_list(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_repair_show(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_repair_event(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_repair_add(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_complaint_list(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_complaint_show(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_complaint_event(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_complaint_add(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_release_list(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_release_approve(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_release_refuse(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_release_cancel(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_renovation_list(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_renovation_add(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_renovation_extend(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_worker_add(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_worker_revoke(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_calendar_list(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_calendar_set(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_calendar_clear(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_visit_list(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_visit_onsite(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_visit_checkout(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_visit_approve(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_visit_refuse(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_invite_add(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_staff_add(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_staff_sites(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_site_list(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_site_add(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_site_set(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_directory_show(ctl_ctx *ctx, int argc, char **argv);
ctl_exit ctl_cmd_directory_load(ctl_ctx *ctx, int argc, char **argv);

#endif
