import { inject } from 'vitest';

// naudiodon's ALSA pulse plugin, uiohook, xdotool and the processes tests start all read these.
process.env.PULSE_SERVER = inject('pulseServer');
process.env.DISPLAY = inject('display');
