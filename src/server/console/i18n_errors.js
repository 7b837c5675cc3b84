// What the console says when lobbyd refuses something.  lobbyd answers
// with a stable code, the field at fault and, for lengths and numbers, the
// bounds; the console words that in the user's language.  The server's
// English message is never shown: a Chinese desk must not read
// "phone: not a mainland mobile".  tests/console/error_words_test.mjs
// fails when the server can name a field or code that has no words here.
'use strict';

const LobbyErrorStrings = {
  zh: {
    'error.network': '网络错误，请重试', 'error.csrf': '会话已失效，请重新登录',
    'error.unknown': '操作没有成功（错误 {status}），请稍后再试；如反复出现请联系管理员',
    'error.account_disabled': '此账号已停用，请联系管理员恢复',
    'error.bad_json': '提交的内容格式有误，请刷新页面后再试',
    'error.bad_request': '请求有误，请刷新页面后再试',
    'error.body_too_large': '提交的内容太长，请删减后再试',
    'error.conflict': '与现有记录冲突，可能已有同事改过，请刷新后再试',
    'error.conflict.name': '这个名称已被使用，请换一个',
    'error.conflict.code': '这个代码已被使用，请换一个',
    'error.database_unavailable': '服务器暂时连不上数据库，没有保存，请稍后再试',
    'error.forbidden': '您没有权限进行这个操作',
    'error.idempotency_key_reused': '提交重复，请刷新后再试',
    'error.internal': '服务器出错，没有完成，请稍后再试；如反复出现请联系管理员',
    'error.invalid_field': '「{field}」填写有误，请检查后再提交',
    'error.invalid_field.unnamed': '有一项填写有误，请检查后再提交',
    'error.invalid_field.phone': '「{field}」应为 11 位手机号（如 13812345678）或带区号的座机（如 010-12345678）',
    'error.invalid_field.manager_phone': '「{field}」应为 11 位手机号（如 13812345678）或带区号的座机（如 010-12345678）',
    'error.invalid_field.service_phone': '「{field}」应为手机号、带区号的座机或 400/95 开头的服务电话',
    'error.invalid_field.current': '当前密码不正确',
    'error.invalid_field.responsible': '这位员工不负责该小区，请另选责任人',
    'error.invalid_field.starts_at': '开始时间有误，请重新选择',
    'error.invalid_field.ends_at': '结束时间须在将来，并晚于开始时间',
    'error.invalid_field.date': '「{field}」应为日期，如 2026-12-04',
    'error.invalid_field.unit': '房号不在楼盘目录里，请从列表中选择',
    'error.invalid_field.building': '楼栋不在楼盘目录里，请从列表中选择',
    'error.invalid_field.preferred_time': '上门时间有误：结束须晚于开始，并且在将来',
    'error.invalid_field.pass_code': '通行码为 8 位字母或数字',
    'error.invalid_field.invite_code': '邀请码为 8 位字母或数字',
    'error.invalid_field.target': '请选择公告发给哪些自助机',
    'error.invalid_field.target.building': '这个楼栋不属于公告所在的小区，请另选',
    'error.invalid_field.technician': '这位师傅不负责该工单所在的小区，请另选',
    'error.invalid_field.site': '请选择小区',
    'error.invalid_field.code': '「{field}」只能用字母、数字、- 或 _',
    'error.invalid_field.buildings': '楼盘目录有误：楼栋、单元或房号重复，或含有字母、数字、- 和 _ 以外的字符',
    'error.invalid_field.units': '楼盘目录有误：单元或房号重复，或含有字母、数字、- 和 _ 以外的字符',
    'error.invalid_utf8': '提交的文字含有无法识别的字符，请删除后重新输入',
    'error.unsupported_media_type': '照片须为 JPEG 或 PNG 格式（手机拍照即可），请换一张',
    'error.invalid_image': '这张照片已损坏或不完整，请重新拍一张',
    'error.image_too_large': '照片像素太高（超过 3200 万），请换一张或截图后再传',
    'error.too_many_photos': '每张工单最多 3 张照片',
    'error.unsupported_media_type.image': '公告图片须为 JPEG 或 PNG 格式，请换一张',
    'error.invalid_image.image': '这张图片已损坏或不完整，请重新拍照或导出后再传',
    'error.image_too_large.image': '图片像素太高（超过 3200 万），请缩小或截图后再传',
    'error.invalid_transition': '当前状态不能进行这个操作，可能已有同事处理过，请刷新后再试',
    'error.length.range': '「{field}」应为 {min}–{max} 个字',
    'error.length.max': '「{field}」最多 {max} 个字',
    'error.value.range': '「{field}」应为 {min} 到 {max} 之间的整数',
    'error.method_not_allowed': '不支持这个操作，请刷新页面后再试',
    'error.missing_field': '请填写「{field}」',
    'error.missing_field.unnamed': '还有必填项没有填写',
    'error.missing_field.verified': '请先核实申请人为该房屋业主或住户，并勾选确认后再批准',
    'error.missing_idempotency_key': '请求不完整，请刷新页面后再试',
    'error.not_awaiting_rating': '这张工单现在不需要评价',
    'error.not_found': '找不到这条记录',
    'error.not_on_site': '这位访客已不在场内，可能已经签离',
    'error.password_common': '密码太常见或太简单，容易被猜到，请换一个',
    'error.password_is_name': '密码不能是账号名称或其中的一部分',
    'error.rate_limited': '操作太频繁，请稍后再试',
    'error.release_not_found': '查无此放行码',
    'error.renovation_not_active': '装修已完工、取消或过期，不能发放出入证；如需继续施工请先延期',
    'error.storage_full': '服务器磁盘已满，暂时无法保存，请联系管理员清理空间',
    'error.unauthorized': '登录已失效，请重新登录',
    'error.unknown_field': '请求含有无法识别的内容，请刷新页面后再试',
    'field.action': '操作', 'field.actor': '操作人', 'field.id': '编号', 'field.safe': '已确认安全', 'field.auto_checkout_hours': '自动签离时长', 'field.before': '起点', 'field.body': '正文',
    'field.building': '楼栋', 'field.buildings': '楼盘目录', 'field.category': '类别', 'field.code': '代码',
    'field.comment': '回访意见', 'field.company': '装修单位', 'field.current': '当前密码', 'field.date': '日期',
    'field.description': '内容', 'field.emergency': '紧急', 'field.end': '结束日期',
    'field.ending_within_days': '到期天数', 'field.ends_at': '结束时间', 'field.event': '操作',
    'field.feed_version': '版本', 'field.uptime_s': '已运行时间', 'field.disk_free_mb': '剩余空间', 'field.audio': '声音', 'field.from': '开始', 'field.group': '分组', 'field.host': '被访人',
    'field.invite_code': '邀请码', 'field.items': '放行物品', 'field.kind': '类型', 'field.limit': '条数',
    'field.manager': '负责人', 'field.manager_phone': '负责人电话', 'field.month': '月份', 'field.name': '姓名',
    'field.new': '新密码', 'field.note': '备注', 'field.number': '单号', 'field.party_size': '同行人数',
    'field.pass_code': '通行码', 'field.password': '密码', 'field.phone': '电话', 'field.phone_last4': '电话后 4 位',
    'field.photo': '照片', 'field.image': '图片', 'field.screenshot': '屏幕截图', 'field.shot': '截屏请求', 'field.pinned': '置顶', 'field.plate': '车牌', 'field.preferred_time': '上门时间', 'field.priority': '优先级',
    'field.purpose': '来访事由', 'field.q': '搜索', 'field.queued': '排队时间', 'field.reason': '原因',
    'field.reply': '答复', 'field.requires_approval': '需要审批', 'field.responsible': '责任人', 'field.role': '角色',
    'field.room': '房号', 'field.satisfaction': '回访结果', 'field.service_phone': '服务电话', 'field.since': '起点',
    'field.site': '小区', 'field.source': '来源', 'field.start': '开始日期', 'field.starts_at': '开始时间',
    'field.state': '状态', 'field.target': '发布范围', 'field.target.building': '楼栋', 'field.technician': '维修师傅', 'field.text': '文字',
    'field.title': '标题', 'field.to': '结束', 'field.type': '类型', 'field.unit': '房号', 'field.units': '单元',
    'field.urgency': '紧急程度', 'field.valid_until': '有效期', 'field.verified': '已核实申请人',
    'field.version': '版本', 'field.visit_retention_days': '访客记录保留天数', 'field.wait': '等待时间',
    'field.waiting_days': '等待天数', 'field.workday': '类型', 'field.works': '施工内容', 'field.year': '年份',
  },
  en: {
    'error.network': 'Network error, please retry', 'error.csrf': 'Session expired, please sign in again',
    'error.unknown': 'That did not work (error {status}). Try again shortly; if it keeps happening, tell an administrator',
    'error.account_disabled': 'This account is disabled; ask an administrator to enable it',
    'error.bad_json': 'The form could not be read; reload the page and try again',
    'error.bad_request': 'The request was not understood; reload the page and try again',
    'error.body_too_large': 'Too much text; shorten it and try again',
    'error.conflict': 'This clashes with an existing record; a colleague may have changed it. Refresh and try again',
    'error.conflict.name': 'That name is taken; choose another',
    'error.conflict.code': 'That code is taken; choose another',
    'error.database_unavailable': 'The server cannot reach its database just now; nothing was saved. Try again shortly',
    'error.forbidden': 'You are not allowed to do this',
    'error.idempotency_key_reused': 'Submitted twice; refresh and try again',
    'error.internal': 'The server failed and nothing was done. Try again shortly; if it keeps happening, tell an administrator',
    'error.invalid_field': 'Check "{field}": it is not valid',
    'error.invalid_field.unnamed': 'Something in the form is not valid; check it and submit again',
    'error.invalid_field.phone': '"{field}" must be an 11-digit mobile (13812345678) or a landline with its area code (010-12345678)',
    'error.invalid_field.manager_phone': '"{field}" must be an 11-digit mobile (13812345678) or a landline with its area code (010-12345678)',
    'error.invalid_field.service_phone': '"{field}" must be a mobile, a landline with its area code, or a 400/95 service number',
    'error.invalid_field.current': 'The current password is wrong',
    'error.invalid_field.responsible': 'That staff member does not work for this site; choose another',
    'error.invalid_field.starts_at': 'The start time is not valid; choose it again',
    'error.invalid_field.ends_at': 'The end time must be in the future and after the start',
    'error.invalid_field.date': '"{field}" must be a date such as 2026-12-04',
    'error.invalid_field.unit': 'That unit is not in the directory; choose one from the list',
    'error.invalid_field.building': 'That building is not in the directory; choose one from the list',
    'error.invalid_field.preferred_time': 'The visit window must end after it starts, and in the future',
    'error.invalid_field.pass_code': 'A pass code has 8 letters or digits',
    'error.invalid_field.invite_code': 'An invite code has 8 letters or digits',
    'error.invalid_field.target': 'Choose which kiosks the notice goes to',
    'error.invalid_field.target.building': "That building is not in the notice's site; choose another",
    'error.invalid_field.technician': "That technician does not work for the ticket's site; choose another",
    'error.invalid_field.site': 'Choose a site',
    'error.invalid_field.code': '"{field}" may use only letters, digits, - and _',
    'error.invalid_field.buildings': 'The directory has a building, unit or room twice, or a code with characters other than letters, digits, - and _',
    'error.invalid_field.units': 'The directory has a unit or room twice, or a code with characters other than letters, digits, - and _',
    'error.invalid_utf8': 'The text has characters that cannot be read; delete them and type again',
    'error.unsupported_media_type': 'A photo must be a JPEG or PNG (a phone camera photo is fine); choose another',
    'error.invalid_image': 'This photo is damaged or incomplete; take it again',
    'error.image_too_large': 'The photo has too many pixels (over 32 million); choose another or a screenshot',
    'error.too_many_photos': 'A ticket keeps at most 3 photos',
    'error.unsupported_media_type.image': 'A notice\'s picture must be a JPEG or PNG; choose another',
    'error.invalid_image.image': 'This picture is damaged or incomplete; take or export it again',
    'error.image_too_large.image': 'The picture has too many pixels (over 32 million); make it smaller or take a screenshot',
    'error.invalid_transition': 'Not possible in its current status; a colleague may have acted on it already. Refresh and try again',
    'error.length.range': '"{field}" must have {min} to {max} characters',
    'error.length.max': '"{field}" may have at most {max} characters',
    'error.value.range': '"{field}" must be a whole number from {min} to {max}',
    'error.method_not_allowed': 'That is not possible here; reload the page and try again',
    'error.missing_field': 'Fill in "{field}"',
    'error.missing_field.unnamed': 'A required field is empty',
    'error.missing_field.verified': 'Check that the applicant owns or lives in the unit and tick the box before approving',
    'error.missing_idempotency_key': 'The request was incomplete; reload the page and try again',
    'error.not_awaiting_rating': 'This ticket is not waiting for a rating',
    'error.not_found': 'No such record',
    'error.not_on_site': 'This visitor is no longer on site; they may have signed out',
    'error.password_common': 'This password is too common or too simple; choose another',
    'error.password_is_name': 'The password must not be the account name or part of it',
    'error.rate_limited': 'Too many requests; try again shortly',
    'error.release_not_found': 'No pass has this code',
    'error.renovation_not_active': 'The renovation is finished, cancelled or past its end: no new passes; extend it first to go on',
    'error.storage_full': "The server's disk is full; nothing can be saved until an administrator frees space",
    'error.unauthorized': 'You are signed out; sign in again',
    'error.unknown_field': 'The request had something the server does not know; reload the page and try again',
    'field.action': 'Action', 'field.actor': 'Who', 'field.id': 'Number', 'field.safe': 'Seen safe', 'field.auto_checkout_hours': 'Automatic sign-out after', 'field.before': 'Before', 'field.body': 'Text',
    'field.building': 'Building', 'field.buildings': 'Directory', 'field.category': 'Category', 'field.code': 'Code',
    'field.comment': 'Comment', 'field.company': 'Company', 'field.current': 'Current password', 'field.date': 'Date',
    'field.description': 'Description', 'field.emergency': 'Emergency', 'field.end': 'End date',
    'field.ending_within_days': 'Ending within', 'field.ends_at': 'Ends', 'field.event': 'Action',
    'field.feed_version': 'Version', 'field.uptime_s': 'Uptime', 'field.disk_free_mb': 'Free space', 'field.audio': 'Sound', 'field.from': 'From', 'field.group': 'Group', 'field.host': 'Host',
    'field.invite_code': 'Invite code', 'field.items': 'Items', 'field.kind': 'Kind', 'field.limit': 'Limit',
    'field.manager': 'Manager', 'field.manager_phone': "Manager's phone", 'field.month': 'Month', 'field.name': 'Name',
    'field.new': 'New password', 'field.note': 'Note', 'field.number': 'Number', 'field.party_size': 'Party size',
    'field.pass_code': 'Pass code', 'field.password': 'Password', 'field.phone': 'Phone', 'field.phone_last4': "Phone's last 4 digits",
    'field.photo': 'Photo', 'field.image': 'Picture', 'field.screenshot': 'Screenshot', 'field.shot': 'Screenshot request', 'field.pinned': 'Pinned', 'field.plate': 'Plate', 'field.preferred_time': 'Visit window', 'field.priority': 'Priority',
    'field.purpose': 'Purpose', 'field.q': 'Search', 'field.queued': 'Queued at', 'field.reason': 'Reason',
    'field.reply': 'Reply', 'field.requires_approval': 'Needs approval', 'field.responsible': 'Responsible', 'field.role': 'Role',
    'field.room': 'Room', 'field.satisfaction': 'Result', 'field.service_phone': 'Service phone', 'field.since': 'Since',
    'field.site': 'Site', 'field.source': 'Source', 'field.start': 'Start date', 'field.starts_at': 'Starts',
    'field.state': 'State', 'field.target': 'Audience', 'field.target.building': 'Building', 'field.technician': 'Technician', 'field.text': 'Text',
    'field.title': 'Title', 'field.to': 'To', 'field.type': 'Type', 'field.unit': 'Unit', 'field.units': 'Units',
    'field.urgency': 'Urgency', 'field.valid_until': 'Valid until', 'field.verified': 'Applicant checked',
    'field.version': 'Version', 'field.visit_retention_days': 'Keep visitor records for', 'field.wait': 'Wait',
    'field.waiting_days': 'Waiting days', 'field.workday': 'Kind', 'field.works': 'Works', 'field.year': 'Year',
  },
};
Object.assign(LobbyStrings.zh, LobbyErrorStrings.zh);
Object.assign(LobbyStrings.en, LobbyErrorStrings.en);

// Some answers were written for people in both languages, "中文 / English",
// with facts a label cannot know (the latest end date allowed): the half
// in the user's language, without its "field: " prefix.  Null otherwise.
I18n.bilingualHalf = function (message) {
  const m = /^(.*[\u4e00-\u9fff].*?) \/ (.+)$/s.exec(message || '');
  if (!m) return null;
  const half = (this.lang === 'zh' ? m[1] : m[2]).replace(/^[a-z0-9_.]+: /, '');
  return half.charAt(0).toUpperCase() + half.slice(1);
};

// The message for an API error object {code, field, min_length, …}:
// never the server's English, always a sentence in the user's language.
I18n.apiError = function (status, err) {
  const table = LobbyStrings[this.lang];
  const code = err.code || '';
  const field = err.field || '';
  const label = table['field.' + field];
  const fill = key => this.t(key, {field: label || '', status,
    min: err.min_length !== undefined ? err.min_length : err.minimum,
    max: err.max_length !== undefined ? err.max_length : err.maximum});
  const half = this.bilingualHalf(err.message);
  if (half) return half;
  if (code && field && ('error.' + code + '.' + field) in table) return fill('error.' + code + '.' + field);
  if (code === 'invalid_field' && label && err.max_length !== undefined)
    return fill(err.min_length > 0 ? 'error.length.range' : 'error.length.max');
  if (code === 'invalid_field' && label && err.maximum !== undefined) return fill('error.value.range');
  if (!code || !(('error.' + code) in table)) return fill('error.unknown');
  if (!table['error.' + code].includes('{field}')) return fill('error.' + code);
  return fill('error.' + code + (label ? '' : '.unnamed'));
};
