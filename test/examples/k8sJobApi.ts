import { z } from 'zod';

/*
 * The part of the Kubernetes batch/v1 Job API (v1.33+, where backoffLimitPerIndex is GA) that the
 * Indexed Job example uses, with the field names of io.k8s.api.batch.v1.JobSpec, PodSpec and
 * Container. Objects are strict: a misspelt field (which kubectl would reject, or silently drop
 * with --validate=false) fails the parse. Field lists are the API's, not only what the example sets.
 */

/** EnvVar names: the API's C_IDENTIFIER-like rule for container environment variables. */
const envName = z.string().regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/);
const quantity = z.union([z.string().regex(/^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/), z.number()]);
const dns1123Label = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63);

const objectMeta = z
  .object({ name: dns1123Label.optional(), namespace: z.string().optional(), labels: z.record(z.string(), z.string()).optional(), annotations: z.record(z.string(), z.string()).optional(), generateName: z.string().optional() })
  .strict();

const envVar = z.object({ name: envName, value: z.string().optional(), valueFrom: z.record(z.string(), z.unknown()).optional() }).strict();

const container = z
  .object({
    name: dns1123Label,
    image: z.string().min(1),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    env: z.array(envVar).optional(),
    envFrom: z.array(z.unknown()).optional(),
    workingDir: z.string().optional(),
    imagePullPolicy: z.enum(['Always', 'Never', 'IfNotPresent']).optional(),
    resources: z
      .object({ requests: z.record(z.string(), quantity).optional(), limits: z.record(z.string(), quantity).optional(), claims: z.array(z.unknown()).optional() })
      .strict()
      .optional(),
    volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string(), readOnly: z.boolean().optional(), subPath: z.string().optional() }).strict()).optional(),
    ports: z.array(z.unknown()).optional(),
    securityContext: z.record(z.string(), z.unknown()).optional(),
    lifecycle: z.unknown().optional(),
    livenessProbe: z.unknown().optional(),
    readinessProbe: z.unknown().optional(),
    startupProbe: z.unknown().optional(),
    terminationMessagePath: z.string().optional(),
    terminationMessagePolicy: z.string().optional(),
    stdin: z.boolean().optional(),
    tty: z.boolean().optional(),
  })
  .strict();

const volume = z
  .object({
    name: dns1123Label,
    persistentVolumeClaim: z.object({ claimName: z.string().min(1), readOnly: z.boolean().optional() }).strict().optional(),
    emptyDir: z.record(z.string(), z.unknown()).optional(),
    configMap: z.record(z.string(), z.unknown()).optional(),
    hostPath: z.record(z.string(), z.unknown()).optional(),
    nfs: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const podSpec = z
  .object({
    containers: z.array(container).min(1),
    initContainers: z.array(container).optional(),
    // A Job's pods may not use Always.
    restartPolicy: z.enum(['Never', 'OnFailure']),
    volumes: z.array(volume).optional(),
    nodeSelector: z.record(z.string(), z.string()).optional(),
    tolerations: z.array(z.unknown()).optional(),
    affinity: z.unknown().optional(),
    serviceAccountName: z.string().optional(),
    securityContext: z.record(z.string(), z.unknown()).optional(),
    imagePullSecrets: z.array(z.unknown()).optional(),
    priorityClassName: z.string().optional(),
    activeDeadlineSeconds: z.number().int().positive().optional(),
    terminationGracePeriodSeconds: z.number().int().nonnegative().optional(),
  })
  .strict();

const int32 = z.number().int().min(0).max(2 ** 31 - 1);

const jobSpec = z
  .object({
    activeDeadlineSeconds: z.number().int().positive().optional(),
    backoffLimit: int32.optional(),
    backoffLimitPerIndex: int32.optional(),
    completionMode: z.enum(['NonIndexed', 'Indexed']).optional(),
    completions: int32.optional(),
    managedBy: z.string().optional(),
    manualSelector: z.boolean().optional(),
    maxFailedIndexes: int32.optional(),
    parallelism: int32.optional(),
    podFailurePolicy: z.unknown().optional(),
    podReplacementPolicy: z.enum(['TerminatingOrFailed', 'Failed']).optional(),
    selector: z.unknown().optional(),
    successPolicy: z.unknown().optional(),
    suspend: z.boolean().optional(),
    template: z.object({ metadata: objectMeta.optional(), spec: podSpec }).strict(),
    ttlSecondsAfterFinished: int32.optional(),
  })
  .strict()
  // The API server's cross-field validation of Indexed Jobs.
  .superRefine((s, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (s.completionMode === 'Indexed' && s.completions === undefined) issue('completions', 'required when completionMode is Indexed');
    if (s.backoffLimitPerIndex !== undefined) {
      if (s.completionMode !== 'Indexed') issue('backoffLimitPerIndex', 'only with completionMode Indexed');
      if (s.template.spec.restartPolicy !== 'Never') issue('backoffLimitPerIndex', "only with the pods' restartPolicy Never");
    }
    if (s.maxFailedIndexes !== undefined) {
      if (s.backoffLimitPerIndex === undefined) issue('maxFailedIndexes', 'only with backoffLimitPerIndex');
      if (s.completions !== undefined && s.maxFailedIndexes > s.completions) issue('maxFailedIndexes', 'at most completions');
    }
  });

/** A batch/v1 Job as the API server would accept it (the fields above). */
export const job = z
  .object({ apiVersion: z.literal('batch/v1'), kind: z.literal('Job'), metadata: objectMeta.extend({ name: dns1123Label }), spec: jobSpec })
  .strict();

export type Job = z.infer<typeof job>;
