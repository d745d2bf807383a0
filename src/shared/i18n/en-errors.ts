/**
 * English error sentences: the window's translation of each keyed UserFacingError. The
 * English template with the error's params must give exactly its `message`
 * (test/unit/i18n/error-messages.test.ts). Split from en.ts only to keep both files short.
 */
export const enErrors = {
  windowLostContact: "Parley's window lost contact with the app ({{detail}}). Restart Parley.",
  internal: 'Something went wrong inside Parley ({{detail}}). Try again; if it keeps happening, restart Parley.',
  linkRefused: 'Parley only opens links to its own help pages, and this one is not among them.',
  shuttingDown: 'Parley is shutting down.',
  noLogFiles: 'This Parley keeps no log files.',
  noDiagnostics: 'This Parley keeps no diagnostics.',
  logsFolder: 'Parley could not open its logs folder {{path}}: {{problem}}',
  // HTTP statuses that mean the same to both backends (src/main/backends/http-status-errors.ts).
  http: {
    keyRejected: 'The API key was rejected by the server at {{url}} (HTTP {{status}}). Open Settings and enter the key the server expects.',
    rateLimited: 'The server at {{url}} is busy or you reached its rate limit (HTTP 429). Wait a moment, then retry.',
  },
  realtime: {
    auth: 'Your API key was rejected by {{host}}. Open Settings and paste a valid key.',
    noApiKey: 'Parley needs an OpenAI API key to talk to api.openai.com. Open Settings and paste your key.',
    modelNotOffered: 'The Realtime server at {{host}} does not offer that model. Open Settings and check the model name.',
    noCredit: 'Your OpenAI account has run out of credit. Add credit to the account, then try again.',
    tooManyRequests: 'The Realtime server says too many requests were made. Wait a moment, then try again.',
    serverProblem: 'The Realtime server reported a problem: {{detail}}. Try again.',
    serverProblemWhile: 'The Realtime server reported a problem while handling "{{event}}": {{detail}}. Try again.',
    noEndpoint: '{{url}} has no Realtime endpoint for that model (HTTP 404). Open Settings and check the URL and model.',
    noEndpointSaying: '{{url}} has no Realtime endpoint for that model (HTTP 404): {{detail}}. Open Settings and check the URL and model.',
    refusedHttp: '{{host}} refused the Realtime connection (HTTP {{status}}). Try again later, or check the URL in Settings.',
    refusedHttpSaying: '{{host}} refused the Realtime connection (HTTP {{status}}): {{detail}}. Try again later, or check the URL in Settings.',
    timedOut: 'The Realtime server at {{url}} did not answer in time. Check the URL in Settings and your network connection.',
    unreachable: 'Parley could not reach the Realtime server at {{url}}. Check the URL in Settings and your network connection.',
    sessionExpired: 'The Realtime session reached its time limit and the reply was cut off. Parley opened a new session: press the key and ask again.',
    dropped: 'The connection to the Realtime server dropped ({{code}}) and the reply was lost. Parley is reconnecting; try again.',
    droppedReason: 'The connection to the Realtime server dropped ({{code}}: {{reason}}) and the reply was lost. Parley is reconnecting; try again.',
  },
  chatAudio: {
    noEndpoint: 'The server at {{url}} has no {{path}} endpoint (HTTP 404). Check the server URL in Settings; for vLLM it ends in /v1.',
    tooLarge: "Your question was too long for the server at {{url}} to accept (HTTP 413). Hold the key for a shorter question, or raise the server's request size limit.",
    timeout: {
      models: 'The server at {{url}} stopped answering for {{seconds}} s while listing its models. Retry; if it keeps happening, check that the server is not overloaded.',
      chat: 'The server at {{url}} stopped answering for {{seconds}} s while answering your question. Retry; if it keeps happening, check that the server is not overloaded.',
      transcription: 'The server at {{url}} stopped answering for {{seconds}} s while turning your question into words. Retry; if it keeps happening, check that the server is not overloaded.',
      speech: 'The server at {{url}} stopped answering for {{seconds}} s while speaking the reply. Retry; if it keeps happening, check that the server is not overloaded.',
    },
    unreachable: {
      models: 'Parley could not reach the server at {{url}} ({{detail}}) while listing its models. Is the server running? Start it or fix the URL in Settings, then retry.',
      chat: 'Parley could not reach the server at {{url}} ({{detail}}) while answering your question. Is the server running? Start it or fix the URL in Settings, then retry.',
      transcription: 'Parley could not reach the server at {{url}} ({{detail}}) while turning your question into words. Is the server running? Start it or fix the URL in Settings, then retry.',
      speech: 'Parley could not reach the server at {{url}} ({{detail}}) while speaking the reply. Is the server running? Start it or fix the URL in Settings, then retry.',
    },
    streamBroken: 'The reply from {{url}} broke off before the server finished it ({{detail}}). What arrived is kept; retry to ask again.',
    streamDropped: 'The reply from {{url}} broke off before the server finished it (the connection was dropped). What arrived is kept; retry to ask again.',
    dropped: {
      models: 'Parley could not reach the server at {{url}} (the connection was dropped) while listing its models. Is the server running? Start it or fix the URL in Settings, then retry.',
      chat: 'Parley could not reach the server at {{url}} (the connection was dropped) while answering your question. Is the server running? Start it or fix the URL in Settings, then retry.',
      transcription: 'Parley could not reach the server at {{url}} (the connection was dropped) while turning your question into words. Is the server running? Start it or fix the URL in Settings, then retry.',
      speech: 'Parley could not reach the server at {{url}} (the connection was dropped) while speaking the reply. Is the server running? Start it or fix the URL in Settings, then retry.',
    },
    refused: {
      models: 'The server at {{url}} refused the request while listing its models (HTTP {{status}}). Check the settings for this server.',
      chat: 'The server at {{url}} refused the request while answering your question (HTTP {{status}}). Check the settings for this server.',
      transcription: 'The server at {{url}} refused the request while turning your question into words (HTTP {{status}}). Check the settings for this server.',
      speech: 'The server at {{url}} refused the request while speaking the reply (HTTP {{status}}). Check the settings for this server.',
    },
    refusedSaying: {
      models: 'The server at {{url}} refused the request while listing its models (HTTP {{status}}): {{detail}}. Check the settings for this server.',
      chat: 'The server at {{url}} refused the request while answering your question (HTTP {{status}}): {{detail}}. Check the settings for this server.',
      transcription: 'The server at {{url}} refused the request while turning your question into words (HTTP {{status}}): {{detail}}. Check the settings for this server.',
      speech: 'The server at {{url}} refused the request while speaking the reply (HTTP {{status}}): {{detail}}. Check the settings for this server.',
    },
    failed: {
      models: "The server at {{url}} failed while listing its models (HTTP {{status}}). Retry; if it keeps failing, check the server's log.",
      chat: "The server at {{url}} failed while answering your question (HTTP {{status}}). Retry; if it keeps failing, check the server's log.",
      transcription: "The server at {{url}} failed while turning your question into words (HTTP {{status}}). Retry; if it keeps failing, check the server's log.",
      speech: "The server at {{url}} failed while speaking the reply (HTTP {{status}}). Retry; if it keeps failing, check the server's log.",
    },
    failedSaying: {
      models: "The server at {{url}} failed while listing its models (HTTP {{status}}): {{detail}}. Retry; if it keeps failing, check the server's log.",
      chat: "The server at {{url}} failed while answering your question (HTTP {{status}}): {{detail}}. Retry; if it keeps failing, check the server's log.",
      transcription: "The server at {{url}} failed while turning your question into words (HTTP {{status}}): {{detail}}. Retry; if it keeps failing, check the server's log.",
      speech: "The server at {{url}} failed while speaking the reply (HTTP {{status}}): {{detail}}. Retry; if it keeps failing, check the server's log.",
    },
    modelNotServed:
      'The model "{{model}}" is not served by the server at {{url}} (HTTP 404). Open Settings and choose one of the models that GET {{url}}/models lists.',
    modelNotServedUnnamed: 'The model is not served by the server at {{url}} (HTTP 404). Open Settings and choose one of the models that GET {{url}}/models lists.',
    toolsRefused:
      'The server at {{url}} does not take tool calls: {{detail}}, so Parley answered without tools. To use them with vLLM, start it with --enable-auto-tool-choice --tool-call-parser <the parser for your model>.',
    tooManyClips:
      'The server at {{url}} takes at most {{limit}} audio clips per request. Lower the number of earlier clips sent as history in Settings, or start vLLM with a higher --limit-mm-per-prompt.',
    noAudio: 'The model "{{model}}" does not take audio: {{detail}}. Open Settings and choose an audio model such as Ultravox or Qwen2-Audio.',
    noAudioUnnamed: 'The model does not take audio: {{detail}}. Open Settings and choose an audio model such as Ultravox or Qwen2-Audio.',
    notModelList:
      'The server at {{url}} answered GET /models with something other than a model list. Check that the URL points at an OpenAI-compatible server (for vLLM it ends in /v1).',
    noModels: 'The server at {{url}} lists no models. Start it with an audio model, e.g. vllm serve fixie-ai/ultravox-v0_5-llama-3_2-1b, then retry.',
    modelNotListed:
      'The server at {{url}} does not serve the model "{{model}}"; it lists {{listed}}. Open Settings and choose one of those, or leave the model empty to use the first.',
    noTranscript:
      'The server at {{url}} answered the transcription request without text. Check the transcription model in Settings, or clear it to show clips instead.',
    serverFailed: 'The server at {{url}} failed while answering: {{detail}}. What arrived is kept; retry to ask again.',
    // $t(...) nests the failure's own sentence, translated with its own params (see withFollowUp).
    speechFailed: '$t({{problem}}) Parley went on with the rest of the reply; the words it could not speak are on screen.',
    transcriptionFailed: '$t({{problem}}) Your question still went to the model.',
  },
  device: {
    noMicrophone: 'No microphone was found. Connect one, then pick it in Settings.',
    noSpeaker: 'No speaker was found. Connect one, then pick it in Settings.',
    microphoneNotFound: 'The microphone "{{name}}" was not found. Open Settings and pick another microphone.',
    speakerNotFound: 'The speaker "{{name}}" was not found. Open Settings and pick another speaker.',
  },
  microphone: {
    openFailed:
      'Parley could not open the microphone "{{name}}" ({{detail}}). Check that it is connected and not used by another app, or pick another in Settings.',
    noSound: 'The microphone "{{name}}" opened but sends no sound. Check that it is connected and not muted, or pick another in Settings.',
    stoppedSending:
      'The microphone "{{name}}" stopped sending sound: it may have been unplugged or switched off. Check it, or pick another in Settings.',
    stoppedSendingDefault: 'The microphone stopped sending sound: it may have been unplugged or switched off. Check it, or pick another in Settings.',
    stoppedWorking: 'The microphone "{{name}}" stopped working. Check that it is connected, or pick another in Settings.',
    stoppedWorkingDefault: 'The microphone stopped working. Check that it is connected, or pick another in Settings.',
    silentWhileHeld:
      'The microphone sent no sound while you held the key, so nothing was sent. Check that it is plugged in and switched on, or pick another input in Settings.',
  },
  speaker: {
    openFailed: 'Parley could not open the speaker "{{name}}" ({{detail}}). Check that it is connected, or pick another in Settings.',
    doesNotPlay: 'The speaker "{{name}}" opened but does not play. Check that it is connected, or pick another in Settings.',
    stoppedWorking: 'The speaker "{{name}}" stopped working. Check that it is connected, or pick another in Settings.',
    stoppedWorkingDefault: 'The speaker stopped working. Check that it is connected, or pick another in Settings.',
  },
  hotkey: {
    wayland:
      'Parley cannot listen for the hotkey: this Wayland session has no X display for it to use. Enable XWayland or log in to an X11 session, then restart Parley.',
    noDisplay:
      'Parley cannot listen for the hotkey because there is no graphical display (DISPLAY is not set). Start Parley from your desktop session, then try again.',
    xDisplay:
      'Parley cannot listen for the hotkey on display {{display}} ({{detail}}). Check that the X server is running and lets this user connect, then restart Parley.',
    macPermission:
      'Parley needs permission to hear the hotkey while other apps are in front. Open System Settings › Privacy & Security › Accessibility (and Input Monitoring), turn on Parley, then restart Parley.',
    other: 'Parley could not start listening for the hotkey ({{detail}}). Restart Parley; if it keeps happening, restart your computer.',
    invalid: 'The hotkey "{{hotkey}}" is not valid: {{problem}}. Open Settings and choose a key such as {{examples}}.',
  },
  apiKey: {
    cannotUnlock: 'Parley could not unlock your saved API key (the system keyring may have changed). Open Settings and paste your key again.',
    pasteFirst: 'Paste your API key first.',
    noKeyring:
      'Parley cannot store your API key safely because this system has no keyring to encrypt it with. Install and unlock a keyring (GNOME Keyring or KWallet) and try again, or start Parley with the OPENAI_API_KEY environment variable set.',
  },
  history: {
    unavailable:
      'Parley could not open its history file when it started, so past conversations are not available in this session; restart Parley to try again.',
    keepHistoryOff: 'Keep history is off, so new turns could not be added to that conversation; turn it on in Settings to continue it.',
    noSaveDialog: 'This window has no save dialog, so Parley cannot export from it; use `npm run -s history -- export` instead.',
    // The history file's problems (HistoryError); $t(...) nests what Parley was doing, from `doing` below.
    readOnly:
      'Parley could not $t(errors.history.doing.{{doing}}) because the history file {{file}} is read-only; make it (or its folder) writable, or turn off Keep history.',
    full: 'Parley could not $t(errors.history.doing.{{doing}}) because the disk holding {{file}} is full; free some space and it will be saved again.',
    locked:
      'Parley could not $t(errors.history.doing.{{doing}}) because another program is using the history file {{file}}; close it (or the other Parley) and try again.',
    corrupt:
      'Parley could not $t(errors.history.doing.{{doing}}) because the history file {{file}} is damaged; restart Parley to set it aside and start a new one.',
    failed: 'Parley could not $t(errors.history.doing.{{doing}}) ({{detail}}); your earlier history in {{file}} is unchanged.',
    closed: 'Parley could not $t(errors.history.doing.{{doing}}) because the history is already closed.',
    missing: 'Conversation {{id}} is no longer in your history; it may have been deleted.',
    noHistoryYet: 'There is no conversation {{id}}: no history has been recorded in {{folder}} yet.',
    newerVersion: 'The history file {{file}} was written by a newer Parley; update Parley to read it (it was left unchanged).',
    export: {
      noFolder: 'Parley could not export to {{path}} because its folder does not exist; choose another place.',
      notAllowed: 'Parley could not export to {{path}} because Parley may not write there; choose another place.',
      isFolder: 'Parley could not export to {{path}} because it is a folder; choose another place.',
      full: 'Parley could not export to {{path}} because the disk is full; choose another place.',
      failed: 'Parley could not export to {{path}} because {{detail}}; choose another place.',
    },
    notice: {
      setAside: 'Your conversation history was damaged, so Parley moved it to {{aside}} and started a new one.',
      readOnly: 'Your history file {{file}} is read-only, so past conversations can be read but new ones will not be saved.',
      notOpened: 'Parley could not open its history ({{detail}}); this session is not kept.',
    },
    doing: {
      createFolder: 'create the history folder',
      openHistory: 'open the history',
      prepareFile: 'prepare the history file',
      setAside: 'set the damaged history file aside',
      startConversation: 'start a conversation',
      saveConversation: 'save the conversation',
      markCutOff: 'mark cut-off lines',
      listConversations: 'list your conversations',
      openConversation: 'open the conversation',
      searchHistory: 'search your history',
      deleteConversation: 'delete the conversation',
      deleteHistory: 'delete your history',
    },
  },
  tools: {
    unavailable: 'Tools are not available in this build of Parley.',
    noSuchServer: 'There is no MCP server named "{{name}}" to remove.',
    approvalGone: 'That tool call is no longer waiting for an answer: it was answered or cancelled.',
  },
} as const;
