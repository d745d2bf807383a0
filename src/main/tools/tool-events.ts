// The tool event is part of the engine's event stream, so it is defined with the others.
export type { ToolCallStatus, ToolEvent } from '../../shared/engine-events';
