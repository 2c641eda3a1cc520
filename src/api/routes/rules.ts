import type { FastifyRequest } from 'fastify';
import { auditRequest } from './audit.ts';
import type { RouteModule } from './types.ts';
import { eventEngineOf } from '../services.ts';
import { isVigilError, VigilError } from '../../model/errors.ts';

/** Rules (threshold, correlation, syslog, trap): CRUD, validation and dry-run. Config-file rules are listed read-only. */
export const ruleRoutes: RouteModule = (app, deps) => {
  const audit = (req: FastifyRequest, action: string, target: string) => auditRequest(deps, req, action, target);
  app.get(
    '/rules',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Every rule with its origin (config, api)',
        tags: ['rules'],
        querystring: { type: 'object', properties: { kind: { type: 'string' } } },
      },
    },
    async (req) => {
      const kind = (req.query as { kind?: string }).kind;
      return {
        rules: (await eventEngineOf(deps).listRules()).filter((r) => !kind || r.kind === kind),
      };
    },
  );
  app.get(
    '/rules/:id',
    { config: { role: 'viewer' }, schema: { summary: 'One rule', tags: ['rules'] } },
    async (req) => {
      const { id } = req.params as { id: string };
      const r = await eventEngineOf(deps).getRule(id);
      if (!r) throw new VigilError('VIGIL_NOT_FOUND', `no rule ${id}`);
      return r;
    },
  );
  app.post(
    '/rules/validate',
    {
      config: { role: 'operator' },
      schema: { summary: 'Checks a rule without saving it (VIGIL_RULE_INVALID names the bad part)', tags: ['rules'] },
    },
    async (req) => ({ ok: true, rule: await eventEngineOf(deps).validate(req.body) }),
  );
  app.post(
    '/rules',
    { config: { role: 'operator' }, schema: { summary: 'Creates a rule', tags: ['rules'] } },
    async (req, reply) => {
      const engine = eventEngineOf(deps);
      const id = (req.body as { id?: string } | undefined)?.id;
      // The store refuses a taken id itself (another request or API node may create it at the same moment).
      const rule = await engine.saveRule(req.body, { create: true }).catch((error: unknown) => {
        if (isVigilError(error) && error.code === 'VIGIL_CONFLICT' && !/config file/.test(error.message))
          throw new VigilError('VIGIL_CONFLICT', `rule "${id}" exists; PUT /rules/${id} to change it`);
        throw error;
      });
      await audit(req, 'rule.create', rule.id);
      return reply.status(201).send(rule);
    },
  );
  app.put(
    '/rules/:id',
    { config: { role: 'operator' }, schema: { summary: 'Creates or replaces a rule', tags: ['rules'] } },
    async (req) => {
      const { id } = req.params as { id: string };
      const rule = await eventEngineOf(deps).saveRule({ ...(req.body as object), id });
      await audit(req, 'rule.update', id);
      return rule;
    },
  );
  app.delete(
    '/rules/:id',
    { config: { role: 'operator' }, schema: { summary: 'Deletes a rule', tags: ['rules'] } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await eventEngineOf(deps).deleteRule(id))) throw new VigilError('VIGIL_NOT_FOUND', `no rule ${id}`);
      await audit(req, 'rule.delete', id);
      return reply.status(204).send();
    },
  );
  app.post(
    '/rules/:id/dry-run',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'What the rule would have raised over the last N hours of stored data',
        tags: ['rules'],
        body: { type: 'object', properties: { hours: { type: 'number', minimum: 0.01, maximum: 720 } } },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      return await eventEngineOf(deps).dryRun(id, (req.body as { hours?: number } | undefined)?.hours ?? 24);
    },
  );
  app.post(
    '/events/settings/dry-run',
    {
      config: { role: 'operator' },
      schema: {
        summary:
          'Tries changed noise settings (events.builtins.interfaceDown, incidents, flapping) over the last N hours of stored history beside the running ones: how many events, incidents, flapping events and notifications each would have made',
        tags: ['events'],
        body: {
          type: 'object',
          required: ['events'],
          properties: { hours: { type: 'number', minimum: 0.01, maximum: 720 }, events: { type: 'object' } },
          additionalProperties: false,
        },
      },
    },
    async (req) => {
      const body = req.body as { hours?: number; events: unknown };
      return await eventEngineOf(deps).dryRunSettings(body.events, body.hours ?? 24);
    },
  );
};
