/**
 * The Workflow Builder steps the app declares (manifest.yml `functions`), as the simulator's Workflows panel offers
 * them: a test holds this list and the manifest together. The acting person (`user_context`) is not an input here:
 * the panel fills it with whoever runs the step, as Workflow Builder's "Person who used this workflow" does.
 */
export type StepInput = { name: string; title: string; type: 'string' | 'boolean'; required: boolean };
export type StepDefinition = { callbackId: string; title: string; inputs: StepInput[] };

export const stepCatalog: readonly StepDefinition[] = [
  {
    callbackId: 'lookup_im_account',
    title: 'Look up IM account',
    inputs: [{ name: 'accid', title: 'Account id', type: 'string', required: true }],
  },
  {
    callbackId: 'mute_im_accounts',
    title: 'Mute IM accounts',
    inputs: [
      { name: 'accids', title: 'Account ids', type: 'string', required: true },
      { name: 'duration', title: 'Duration', type: 'string', required: true },
      { name: 'reason', title: 'Reason', type: 'string', required: true },
    ],
  },
  {
    callbackId: 'block_im_account',
    title: 'Block IM account',
    inputs: [
      { name: 'accid', title: 'Account id', type: 'string', required: true },
      { name: 'reason', title: 'Reason', type: 'string', required: true },
      { name: 'log_out', title: 'Log out of every device', type: 'boolean', required: false },
    ],
  },
];
