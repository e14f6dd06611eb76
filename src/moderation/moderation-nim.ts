import type { BlockOptions, ModuleMuteResult } from '../nim/moderation.js';
import type { ModuleMutes, UserLookup, WriteResult } from '../nim/types.js';

/** The part of the NetEase client moderation uses. */
export type ModerationNim = {
  getUinfos(accids: readonly string[], options?: { muteStatus?: boolean; correlationId?: string }): Promise<UserLookup>;
  setGlobalMute(accid: string, mute: boolean, options?: { correlationId?: string }): Promise<WriteResult>;
  setModuleMutes(accid: string, modules: ModuleMutes, options?: { correlationId?: string }): Promise<ModuleMuteResult>;
  blockAccount(accid: string, block?: BlockOptions, options?: { correlationId?: string }): Promise<WriteResult>;
  unblockAccount(accid: string, options?: { correlationId?: string }): Promise<WriteResult>;
};
