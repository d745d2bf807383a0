import type { Messages } from './en';
import type { enTools } from './en-tools';

/** Simplified Chinese for the Tools settings and approval cards; tool and server names stay as they are. */
export const zhCNTools: Messages<typeof enTools> = {
  intro: '开关和服务器的更改立即生效。不是只读的工具在运行前会先征求你的同意。',
  loading: '正在加载工具…',
  none: '这个版本的 Parley 没有工具。',
  builtIn: '内置工具',
  builtInTransport: '内置',
  state: {
    starting: '正在启动…',
    ready: '就绪',
    failed: '失败',
    stopped: '已关闭',
  },
  use: '使用 {{name}}',
  edit: '编辑',
  remove: '移除',
  readOnly: '只读',
  asksFirst: '运行前询问',
  timeout: {
    label: '工具最长运行时间',
    seconds: '秒',
    hint: '超过这个时间，模型会被告知工具已超时。',
    notNumber: '请输入工具可以运行的秒数，例如 30。',
    outOfRange: '请选择 {{min}} 到 {{max}} 秒之间的值。',
  },
  paste: {
    label: '添加或粘贴服务器',
    hint: '使用其他 MCP 客户端通用的格式。同名的服务器会被替换。隐藏的值（••••••••）会保留已保存的内容。',
    add: '添加服务器',
    adding: '正在添加…',
  },
  approval: {
    waiting: '等待你答复的工具调用',
    fromParley: '允许运行 Parley 的 <tool>{{name}}</tool> 吗？',
    fromServer: '允许运行“{{server}}”的 <tool>{{name}}</tool> 吗？',
    arguments: '参数',
    allowOnce: '允许一次',
    alwaysAllow: '始终允许此工具',
    deny: '拒绝',
  },
};
