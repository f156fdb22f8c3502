import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { afterAll, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";

const ROOT = resolve(".");
/** A program beside the package, importing it as `tix` from its node_modules (as a user's would). */
const app = tempDir("tix-library-");
mkdirSync(join(app.path, "node_modules"));
symlinkSync(ROOT, join(app.path, "node_modules", "tix"));
afterAll(() => app.remove());

function runModule(source: string): { stdout: string; stderr: string } {
  const file = join(app.path, `program-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, source);
  // Bounded: a program that never ends (seed over a clock answering NaN looped for ever) fails its test, not the run.
  const result = spawnSync(process.execPath, [file], { cwd: app.path, encoding: "utf8", timeout: 60_000 });
  return { stdout: result.stdout, stderr: result.stderr };
}

it("is importable in-process as `tix`, over a memory store", () => {
  const result = runModule(`
    import { openTix, ManualClock } from "tix";
    const clock = new ManualClock("2030-01-01T00:00:00Z");
    const tix = await openTix({ store: "memory", clock });
    const { event } = await tix.events.create({ name: "Library Gig", capacity: 1, price: "10.00" });
    const first = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
    const again = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
    const soldOut = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" }).catch((error) => error.code);
    const { ticket: bought } = await tix.tickets.purchase({ ticketId: first.ticket.id, userId: "alice" });
    console.log(JSON.stringify({ replayed: again.replayed, same: again.ticket.id === first.ticket.id, soldOut, status: bought.status }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({ replayed: true, same: true, soldOut: "SOLD_OUT", status: "purchased" });
});

it("opens memory when no store is given, and answers every list as a bare array of views", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 2 });
    await tix.tickets.reserve({ eventId: event.id, userId: "alice" });
    const lists = {
      events: await tix.events.list(),
      tickets: await tix.tickets.list({ status: "reserved" }),
      waitlist: await tix.waitlist.show(event.id),
      log: await tix.log.list({ eventId: event.id }),
    };
    console.log(JSON.stringify({ store: tix.store.description, arrays: Object.values(lists).every(Array.isArray),
      counts: Object.fromEntries(Object.entries(lists).map(([name, list]) => [name, list.length])) }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({ store: "memory", arrays: true, counts: { events: 1, tickets: 1, waitlist: 0, log: 2 } });
});

it("takes an amount as text or a number, read as written and checked as its text is; refuses a currency or card given as a number, changing nothing (a program without types)", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 2, price: 5 });
    const { event: tiered } = await tix.events.create({ name: "Tiers", tiers: [{ name: "VIP", capacity: 2, price: 45.5 }, { name: "GA", capacity: 5, price: "20" }] });
    const updated = (await tix.events.update({ id: event.id, price: 7.5 })).event.price;
    const voucher = (await tix.vouchers.create({ eventId: event.id, code: "OFF", amount: 2 })).amount;
    const yen = (await tix.events.create({ name: "Yen", capacity: 2, currency: "JPY", price: 4500 })).event.price;
    const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice" });
    const refusal = (promise) => promise.then(() => "accepted", (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    const answers = [
      await refusal(tix.events.create({ name: "Gig 2", capacity: 2, price: 0.1 + 0.2 })),
      await refusal(tix.events.update({ id: event.id, price: -5 })),
      await refusal(tix.events.update({ id: event.id, price: 45.123 })),
      await refusal(tix.events.update({ id: event.id, price: Number.NaN })),
      await refusal(tix.events.update({ id: event.id, price: 1e21 })),
      await refusal(tix.events.update({ id: event.id, price: true })),
      await refusal(tix.events.create({ name: "Yen 2", capacity: 2, currency: "JPY", price: 45.5 })),
      await refusal(tix.events.update({ id: tiered.id, tiers: [{ name: "VIP", price: 45.555 }] })),
      await refusal(tix.events.update({ id: tiered.id, tiers: [{ name: "VIP", price: Infinity }] })),
      await refusal(tix.events.update({ id: tiered.id, tiers: [{ name: "VIP", price: false }] })),
      await refusal(tix.vouchers.create({ eventId: event.id, code: "OFF2", amount: 1.005 })),
      await refusal(tix.vouchers.create({ eventId: event.id, code: "OFF3", amount: {} })),
      await refusal(tix.events.create({ name: "Gig 3", capacity: 2, currency: 978 })),
      await refusal(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", card: 4242424242424242 })),
    ];
    const after = { events: (await tix.events.list()).length, price: (await tix.events.get(event.id)).price,
      tiers: (await tix.events.get(tiered.id)).tiers.map((tier) => tier.price),
      vouchers: (await tix.vouchers.list(event.id)).length, status: (await tix.tickets.get(ticket.id)).status };
    console.log(JSON.stringify({ made: { price: event.price, tiers: tiered.tiers.map((tier) => tier.price), updated, voucher, yen }, answers, after }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    made: { price: "5.00", tiers: ["45.50", "20.00"], updated: "7.50", voucher: "2.00", yen: "4500" },
    answers: [
      "INVALID_ARGUMENT price: 0.30000000000000004 is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00",
      "INVALID_ARGUMENT price: -5 is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00",
      "INVALID_ARGUMENT price: 45.123 is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00",
      'INVALID_ARGUMENT price: must be an amount such as 45.00 or "45.00", got the number NaN',
      'INVALID_ARGUMENT price: must be an amount such as 45.00 or "45.00", got the number 1e+21',
      'INVALID_ARGUMENT price: must be an amount such as 45.00 or "45.00", got the boolean true',
      "INVALID_ARGUMENT price: 45.5 is not an amount in JPY; use a whole number, e.g. 45",
      'INVALID_ARGUMENT tier "VIP": its price 45.555 is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00',
      'INVALID_ARGUMENT tier "VIP": its price must be an amount such as 120.00 or "120.00", got the number Infinity',
      'INVALID_ARGUMENT tier "VIP": its price must be an amount such as 120.00 or "120.00", got the boolean false',
      "INVALID_ARGUMENT amount: 1.005 is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00",
      'INVALID_ARGUMENT amount: must be an amount such as 5.00 or "5.00", got an object',
      'INVALID_ARGUMENT currency: must be a string such as "USD", got the number 978',
      'INVALID_ARGUMENT card: must be a string such as "4242424242424242", got the number 4242424242424242',
    ],
    after: { events: 3, price: "7.50", tiers: ["45.50", "20.00"], vouchers: 1, status: "reserved" },
  });
});

it("words a refusal without the command line's NAME:CAPACITY:PRICE text, which a call never writes", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ id: "evt_tiers", name: "Tiers", tiers: [{ name: "VIP", capacity: 2, price: 50 }, { name: "GA", capacity: 5, price: 20 }] });
    const refusal = (promise) => promise.then(() => "accepted", (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    console.log(JSON.stringify([
      await refusal(tix.events.create({ name: "No size" })),
      await refusal(tix.events.update({ id: event.id, capacity: 9 })),
      await refusal(tix.events.update({ id: event.id, price: 9 })),
    ]));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual([
    "INVALID_ARGUMENT capacity: is required, unless tiers or seats are given",
    "INVALID_ARGUMENT capacity: event evt_tiers has several tiers; change a tier's capacity instead",
    "INVALID_ARGUMENT price: event evt_tiers has several tiers; change a tier's price instead",
  ]);
});

it("shows a number the call passed as that number, and text in quotes: got -5, got \"-5\" (they read alike before)", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 2 });
    const refusal = (promise) => promise.then(() => "accepted", (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    console.log(JSON.stringify([
      await refusal(tix.events.create({ name: "A", capacity: -5 })),
      await refusal(tix.events.create({ name: "A", capacity: "-5" })),
      await refusal(tix.events.create({ name: "A", tiers: [{ name: "VIP", capacity: 1.5, price: 1 }] })),
      await refusal(tix.events.update({ id: event.id, limitPerUser: 0 })),
      await refusal(tix.events.update({ id: event.id, hold: -3 })),
      await refusal(tix.tickets.reserve({ eventId: event.id, userId: "alice", quantity: 0 })),
      await refusal(tix.vouchers.create({ eventId: event.id, code: "OFF", percent: 150 })),
      await refusal(tix.events.update({ id: event.id, price: -1 })),
      await refusal(tix.events.update({ id: event.id, price: "-1" })),
      await refusal(tix.events.create({ name: "Yen", capacity: 1, currency: "JPY", tiers: [{ name: "VIP", capacity: 1, price: 4.5 }] })),
      await refusal(tix.events.create({ name: "Yen", capacity: 1, currency: "JPY" }).then(({ event: yen }) => tix.events.update({ id: yen.id, tiers: [{ name: "GA", price: 4.5 }] }))),
      await refusal(tix.events.create({ name: "Yen", capacity: 1, currency: "JPY" }).then(({ event: yen }) => tix.events.update({ id: yen.id, tiers: ["GA::4.5"] }))),
      await refusal(tix.vouchers.create({ eventId: event.id, code: "OFF", amount: -2 })),
      await refusal(tix.vouchers.create({ eventId: event.id, code: "OFF", percent: 5, maxUses: 0 })),
      await refusal(tix.events.page({ limit: 0 })),
      await refusal(tix.events.page({ limit: "5" })),
      await refusal(tix.events.upcomingFirst({ limit: -1 })),
      await refusal(tix.tickets.first({ limit: 1.5 })),
      await refusal(tix.log.latest({ limit: "3" })),
      await refusal(tix.log.page({ limit: 5, after: -1 })),
    ]));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual([
    "INVALID_ARGUMENT capacity: must be a whole number from 1 to 10000000, got -5",
    'INVALID_ARGUMENT capacity: must be a whole number from 1 to 10000000, got "-5"',
    'INVALID_ARGUMENT tier "VIP": its capacity must be a whole number from 1 to 10000000, got 1.5',
    'INVALID_ARGUMENT limitPerUser: must be a whole number from 1 to 1000, or "none", got 0',
    'INVALID_ARGUMENT hold: must be whole seconds from 1 to 604800, or a duration such as "10m", got -3',
    "INVALID_ARGUMENT quantity: must be a whole number from 1 to 50, got 0",
    "INVALID_ARGUMENT percent: must be a whole number from 1 to 100, got 150",
    "INVALID_ARGUMENT price: -1 is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00",
    'INVALID_ARGUMENT price: "-1" is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00',
    'INVALID_ARGUMENT tier "VIP": its price 4.5 is not an amount in JPY; use a whole number, e.g. 45',
    'INVALID_ARGUMENT tier "GA": its price 4.5 is not an amount in JPY; use a whole number, e.g. 45',
    'INVALID_ARGUMENT tier "GA": its price "4.5" is not an amount in JPY; use a whole number, e.g. 45',
    "INVALID_ARGUMENT amount: -2 is not an amount such as 5.00",
    "INVALID_ARGUMENT maxUses: must be a whole number from 1 to 1000000, got 0",
    "INVALID_ARGUMENT limit: must be a whole number from 1 to 100000, got 0",
    'INVALID_ARGUMENT limit: must be a whole number from 1 to 100000, got the text "5"',
    "INVALID_ARGUMENT limit: must be a whole number from 1, got -1",
    "INVALID_ARGUMENT limit: must be a whole number from 1, got 1.5",
    'INVALID_ARGUMENT limit: must be a whole number from 1, got the text "3"',
    "INVALID_ARGUMENT after: must be an entry's seq, got -1",
  ]);
});

it("answers a call without its request object, or with a value where a field's text goes, with a typed INVALID_ARGUMENT naming it (a program without types)", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 2, price: "5.00" });
    await tix.vouchers.create({ eventId: event.id, code: "OFF", percent: 10 });
    const refusal = (call) => Promise.resolve().then(call).then(() => "accepted", (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    const answers = [
      await refusal(() => tix.tickets.reserve()),
      await refusal(() => tix.tickets.reserve(null)),
      await refusal(() => tix.tickets.reserve(event.id)),
      await refusal(() => tix.tickets.reserve({ eventId: event.id })),
      await refusal(() => tix.tickets.reserve({ eventId: 7, userId: "alice" })),
      await refusal(() => tix.events.get()),
      await refusal(() => tix.tickets.list(5)),
      await refusal(() => tix.events.createMany({ events: "Gig" })),
    ];
    const vouchers = [(await tix.vouchers.list({ eventId: event.id })).length, (await tix.vouchers.list(event.id)).length,
      (await tix.vouchers.list()).length, (await tix.tickets.list(null)).length];
    console.log(JSON.stringify({ answers, vouchers, tickets: (await tix.tickets.list()).length }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    answers: [
      "INVALID_ARGUMENT request: tickets.reserve takes one object of named fields, such as { eventId, userId, key }; got nothing",
      "INVALID_ARGUMENT request: tickets.reserve takes one object of named fields, such as { eventId, userId, key }; got nothing",
      expect.stringMatching(/^INVALID_ARGUMENT request: tickets.reserve takes one object .*; got the text "evt_/),
      'INVALID_ARGUMENT userId: missing; give a string such as "alice"',
      'INVALID_ARGUMENT eventId: must be a string such as "evt_jazz_evening", got the number 7',
      'INVALID_ARGUMENT eventId: missing; give a string such as "evt_jazz_evening"',
      expect.stringMatching(/^INVALID_ARGUMENT request: tickets.list takes one object .*; got the number 5$/),
      "INVALID_ARGUMENT events: must be a list of events",
    ],
    vouchers: [1, 1, 1, 0],
    tickets: 0,
  });
});

it("names the field a program passed in its message (eventId, userId, ticketId, id), not the command line's argument", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 2 });
    const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice" });
    const refusal = (call) => Promise.resolve().then(call).then(() => "accepted", (error) => isTixError(error) ? error.message : "untyped " + error);
    const answers = await Promise.all([
      () => tix.tickets.reserve({ eventId: event.id, userId: "a b" }),
      () => tix.tickets.purchase({ ticketId: 5, userId: "alice" }),
      () => tix.tickets.cancel({ ticketId: ticket.id, userId: 5 }),
      () => tix.tickets.transfer({ ticketId: "\u0001", userId: "alice", to: "bob" }),
      () => tix.tickets.checkIn({ ticketId: 5, actor: "door" }),
      () => tix.tickets.list({ eventId: 5 }),
      () => tix.tickets.page({ userId: "a b", limit: 10 }),
      () => tix.log.list({ eventId: 5 }),
      () => tix.log.list({ ticketId: 5 }),
      () => tix.events.update({ id: 5, name: "x" }),
      () => tix.events.seats({ eventId: event.id, userId: 5 }),
      () => tix.waitlist.join({ eventId: 5, userId: "bob" }),
      () => tix.waitlist.leave({ eventId: event.id, userId: 5 }),
      () => tix.vouchers.create({ eventId: 5, code: "OFF", percent: 10 }),
      () => tix.vouchers.page({ eventId: 5, limit: 10 }),
      () => tix.idempotency.lookup({ userId: 5, key: "k1" }),
    ].map(refusal));
    console.log(JSON.stringify(answers.map((answer) => answer.slice(0, answer.indexOf(":")))));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual([
    "userId", "ticketId", "userId", "ticketId", "ticketId", "eventId", "userId", "eventId", "ticketId", "id", "userId", "eventId", "userId", "eventId", "eventId", "userId",
  ]);
});

it("shows a program only its methods: no helper that would throw a TypeError on what a program passes (tickets.view, vouchers.view, …)", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const methods = (object) => {
      const names = new Set();
      for (let level = object; level && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
        for (const name of Object.getOwnPropertyNames(level)) if (name !== "constructor" && typeof object[name] === "function") names.add(name);
      }
      return [...names].sort();
    };
    console.log(JSON.stringify(Object.fromEntries(["events", "tickets", "idempotency", "waitlist", "vouchers", "log"].map((name) => [name, methods(tix[name])]))));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    events: ["create", "createMany", "exportPage", "get", "ids", "list", "page", "report", "seats", "seed", "upcomingFirst", "update"],
    tickets: ["anySeated", "byIdPrefix", "cancel", "checkIn", "first", "get", "list", "page", "purchase", "reserve", "transfer"],
    idempotency: ["lookup"],
    waitlist: ["join", "leave", "show"],
    vouchers: ["create", "list", "page"],
    log: ["countByTime", "latest", "list", "page"],
  });
});

it("types what a program names: every result, view and filter is exported, and a status filter takes only a status", () => {
  const file = join(app.path, "typed.mts");
  writeFileSync(file, `
    import {
      openTix, TICKET_STATUSES, isTixError,
      type Tix, type OpenTixOptions, type EventInput, type EventView, type EventWriteResult, type EventReport, type ReportLine,
      type TierView, type TicketView, type TicketStatus, type TicketQuery, type TicketsOutcome, type ReserveOutcome,
      type JoinOutcome, type WaitlistEntryView, type LogEntryView, type LogQuery, type LogAction, type KeyBinding, type ErrorCode,
      type EventCreateRequest, type EventUpdateRequest, type EventUpdateResult, type FieldChange, type PurchaseOutcome,
    } from "tix";

    const options: OpenTixOptions = {};
    const tix: Tix = await openTix(options);
    const input: EventInput = { name: "Gig", capacity: 5, price: "10.00" };
    const request: EventCreateRequest = { ...input, actor: "ops" };
    const written: EventWriteResult = await tix.events.create(request);
    const event: EventView = written.event;
    const tiers: TierView[] = event.tiers;
    const report: EventReport = await tix.events.report(event.id);
    const total: ReportLine = report.total;
    const reserved: ReserveOutcome = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k" });
    const bought: PurchaseOutcome = await tix.tickets.purchase({ ticketId: reserved.ticket.id, userId: "alice" });
    const outcome: TicketsOutcome = bought;
    const checkedIn: TicketView = await tix.tickets.checkIn({ ticketId: reserved.ticket.id, actor: "door" });
    const change: EventUpdateRequest = { id: event.id, price: "12.00", actor: "ops" };
    const updated: EventUpdateResult = await tix.events.update(change);
    const changes: FieldChange[] = updated.changes;
    // @ts-expect-error one calling style: named fields, not positions
    await tix.tickets.checkIn(reserved.ticket.id, "door").catch(() => undefined);
    const status: TicketStatus = TICKET_STATUSES[1];
    const query: TicketQuery = { userId: "alice", status };
    const tickets: TicketView[] = await tix.tickets.list(query);
    const joined: JoinOutcome = await tix.waitlist.join({ eventId: event.id, userId: "bob" });
    const waiting: WaitlistEntryView[] = await tix.waitlist.show(event.id);
    const logQuery: LogQuery = { eventId: event.id };
    const log: LogEntryView[] = await tix.log.list(logQuery);
    const action: LogAction | undefined = log[0]?.action;
    const binding: KeyBinding | undefined = await tix.idempotency.lookup({ userId: "alice", key: "k" });
    try {
      // @ts-expect-error a status filter takes one of the statuses only
      await tix.tickets.list({ status: "lost" });
    } catch (error) {
      const code: ErrorCode | undefined = isTixError(error) ? error.code : undefined;
      void code;
    }
    void [tiers, total, outcome, checkedIn, changes, tickets, joined, waiting, action, binding];
    await tix.close();
  `);
  // The program is checked against the declarations the package ships (which need no Node types).
  const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--skipLibCheck",
    "--target", "es2022", "--lib", "es2023", "--module", "nodenext", "--moduleResolution", "nodenext", file], { cwd: app.path, encoding: "utf8" });
  expect(tsc.stdout + tsc.stderr).toBe("");
  expect(tsc.status).toBe(0);
});

it("exports every named type a method or option of the engine takes or answers, so a program can name it (the port's own records aside)", () => {
  // Walked from the declarations the package ships: every type reachable from what index.d.ts
  // exports (TixStore, the port a program brings its own adapter for, aside) must be exported too.
  const program = ts.createProgram([join(ROOT, "dist/types/index.d.ts")], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const resolved = (symbol: ts.Symbol): ts.Symbol => (symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol);
  const exported = new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, "dist/types/index.d.ts"))!)!).map(resolved));
  const ours = (symbol: ts.Symbol): boolean => (symbol.declarations ?? []).some((node) => node.getSourceFile().fileName.startsWith(join(ROOT, "dist/types")));
  const unnamed = new Set<string>();
  const seen = new Set<ts.Symbol>();
  const visit = (symbol: ts.Symbol): void => {
    if (seen.has(symbol) || symbol.name === "TixStore" || !ours(symbol)) return;
    seen.add(symbol);
    for (const declaration of symbol.declarations ?? []) {
      declaration.forEachChild(function walk(node: ts.Node): void {
        // A private member's type is no program's business; T["field"] names T's field, not T.
        if ((ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) || ts.isIndexedAccessTypeNode(node)) return;
        if (ts.isTypeReferenceNode(node)) {
          const target = checker.getSymbolAtLocation(node.typeName);
          if (target !== undefined && !(target.flags & ts.SymbolFlags.TypeParameter)) {
            const type = resolved(target);
            if (ours(type) && !exported.has(type) && type.name !== "TixStore") unnamed.add(type.name);
            visit(type);
          }
        }
        node.forEachChild(walk);
      });
    }
  };
  for (const symbol of exported) visit(symbol);
  expect([...unnamed].sort()).toEqual([]);
});

it("ships type declarations for openTix", () => {
  const types = readFileSync("dist/types/index.d.ts", "utf8");
  expect(types).toContain("openTix");
  expect(readFileSync("dist/types/app/open-tix.d.ts", "utf8")).toMatch(/export declare function openTix\(options\?: OpenTixOptions \| string\): Promise<Tix>/);
});

it("answers require(\"tix\") from CommonJS with what to do instead (it is an ES module)", () => {
  const file = join(app.path, "program.cjs");
  writeFileSync(file, `require("tix");\n`);
  // Bounded: a program that never ends (seed over a clock answering NaN looped for ever) fails its test, not the run.
  const result = spawnSync(process.execPath, [file], { cwd: app.path, encoding: "utf8", timeout: 60_000 });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('tix is an ES module: load it with import { openTix } from "tix"');
  expect(result.stderr).toContain("ERR_REQUIRE_ESM");
});

it("refuses a misspelt or mistyped openTix option, or options that are not an object (null, a number, a list), with INVALID_ARGUMENT instead of opening memory (a program without types)", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const answers = {};
    for (const [name, options] of Object.entries({
      misspelt: { stor: "sqlite:./kept.db" },
      storeNumber: { store: 5 },
      clockWithoutNow: { clock: {} },
      busyTimeout: { busyTimeoutMs: -1 },
      busyTimeoutNaN: { busyTimeoutMs: NaN },
      busyTimeoutText: { busyTimeoutMs: "500" },
      groupCommit: { groupCommit: "yes" },
      createFolder: { createFolder: "no" },
      list: ["memory"],
      null: null,
      number: 5,
    })) answers[name] = await openTix(options).then((tix) => tix.close().then(() => "opened"), (error) => error.code + ": " + error.message);
    const tix = await openTix("memory");
    answers.url = tix.store.description;
    await tix.close();
    console.log(JSON.stringify(answers));
  `);
  expect(result.stderr).toBe("");
  const answers = JSON.parse(result.stdout) as Record<string, string>;
  expect(answers.misspelt).toBe("INVALID_ARGUMENT: stor: not a field of openTix's options; its fields are store, clock, busyTimeoutMs, groupCommit, createFolder");
  expect(answers.storeNumber).toBe('INVALID_ARGUMENT: store: must be a store URL such as "memory" or "sqlite:./tix.db"; got the number 5');
  // A number option shows a number as written (got NaN, got -1), as every other check does; anything else is described.
  const busy = (got: string) => `INVALID_ARGUMENT: busyTimeoutMs: must be a whole number of milliseconds from 0; got ${got}`;
  expect([answers.busyTimeout, answers.busyTimeoutNaN, answers.busyTimeoutText]).toEqual([busy("-1"), busy("NaN"), busy('the text "500"')]);
  for (const name of ["clockWithoutNow", "busyTimeout", "groupCommit", "createFolder", "list"]) expect(answers[name]).toMatch(/^INVALID_ARGUMENT: /);
  // Not an object: one line saying what openTix takes (null opened memory in silence).
  const notAnObject = (got: string) => `INVALID_ARGUMENT: options: openTix takes a store URL or an object such as { store: "sqlite:./tix.db" }; got ${got}`;
  expect([answers.null, answers.number, answers.list]).toEqual([notAnObject("null"), notAnObject("the number 5"), notAnObject("a list")]);
  expect(answers.url).toBe("memory");
});

it("refuses a field a method does not have, so a misspelt key cannot reserve twice and a misspelt filter cannot list everyone's tickets", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 10, limitPerUser: 5 });
    const error = (promise) => promise.then(() => "answered", (failure) => failure.code + ": " + failure.message);
    const answers = {
      reserve: await error(tix.tickets.reserve({ eventId: event.id, userId: "alice", idempotencyKey: "k1" })),
      list: await error(tix.tickets.list({ event: event.id })),
      update: await error(tix.events.update({ id: event.id, capacty: 20 })),
      createMany: await error(tix.events.createMany({ events: [{ name: "A", capacity: 1 }, { name: "B", capacity: 1, prices: "5.00" }] })),
      leftUndefined: await error(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k2", idempotencyKey: undefined })),
      eventsLimited: await error(tix.events.list({ limit: 10 })),
      tickets: (await tix.tickets.list({})).length,
      events: (await tix.events.list()).length,
    };
    console.log(JSON.stringify(answers));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    reserve: "INVALID_ARGUMENT: idempotencyKey: not a field of tickets.reserve; its fields are eventId, userId, key, tier, quantity, code, seats, allowSplit",
    list: "INVALID_ARGUMENT: event: not a field of tickets.list; its fields are eventId, userId, status",
    update: expect.stringMatching(/^INVALID_ARGUMENT: capacty: not a field of events.update; its fields are id, name, capacity, /),
    createMany: expect.stringMatching(/^INVALID_ARGUMENT: prices: not a field of events.createMany's event 2; /),
    leftUndefined: "answered",
    eventsLimited: expect.stringMatching(/^INVALID_ARGUMENT: request: events.list takes no request and answers every event; for a part of them use events.page/),
    // Nothing was written by the refused calls: the one ticket is the last call's, and no event A.
    tickets: 1,
    events: 1,
  });
});

it("refuses an actor that is not a user id (a number, empty, `system`) on every write that takes one, naming the field actor, and writes nothing", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 10 });
    const error = (promise) => promise.then(() => "answered", (failure) => failure.code + ": " + failure.message);
    const answers = {
      createNumber: await error(tix.events.create({ name: "A", capacity: 1, actor: 7 })),
      updateEmpty: await error(tix.events.update({ id: event.id, name: "B", actor: "" })),
      updateSystem: await error(tix.events.update({ id: event.id, name: "B", actor: "system" })),
      createMany: await error(tix.events.createMany({ events: [{ name: "C", capacity: 1 }], actor: "has space" })),
      voucher: await error(tix.vouchers.create({ eventId: event.id, code: "X", percent: 5, actor: 5 })),
      checkIn: await error(tix.tickets.checkIn({ ticketId: "tkt_x" })),
      events: (await tix.events.list()).map((e) => e.name),
      actors: (await tix.log.list({})).map((entry) => entry.actor),
    };
    console.log(JSON.stringify(answers));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    createNumber: 'INVALID_ARGUMENT: actor: must be a string such as "alice", got the number 7',
    updateEmpty: expect.stringMatching(/^INVALID_ARGUMENT: actor: /),
    updateSystem: 'INVALID_ARGUMENT: actor: "system" is reserved for tix itself (the audit log\'s actor for expiries and waiting-list promotions)',
    createMany: 'INVALID_ARGUMENT: actor: "has space" must be 1 to 64 printable characters without spaces',
    voucher: 'INVALID_ARGUMENT: actor: must be a string such as "alice", got the number 5',
    checkIn: 'INVALID_ARGUMENT: actor: missing; give a string such as "alice"',
    events: ["Gig"],
    actors: ["library"],
  });
});

it("refuses log.countByTime's unknown action or bucketing that is not a function or answers no bucket size, with INVALID_ARGUMENT (not a TypeError, not a silent empty count)", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 10 });
    await tix.tickets.reserve({ eventId: event.id, userId: "alice" });
    const error = (promise) => promise.then((answer) => "answered " + JSON.stringify(answer), (failure) => (failure.code ?? failure.name) + ": " + failure.message);
    const hourly = () => ({ size: 3600000, offset: 0 });
    const answers = {
      noBucketing: await error(tix.log.countByTime({ eventId: event.id, action: "ticket.reserved" })),
      bucketingNumber: await error(tix.log.countByTime({ eventId: event.id, action: "ticket.reserved", bucketing: 3600000 })),
      sizeZero: await error(tix.log.countByTime({ eventId: event.id, action: "ticket.reserved", bucketing: () => ({ size: 0, offset: 0 }) })),
      sizeNaN: await error(tix.log.countByTime({ eventId: event.id, action: "ticket.reserved", bucketing: () => ({ size: NaN, offset: "0" }) })),
      async: await error(tix.log.countByTime({ eventId: event.id, action: "ticket.reserved", bucketing: async () => ({ size: 3600000, offset: 0 }) })),
      nothing: await error(tix.log.countByTime({ eventId: event.id, action: "ticket.reserved", bucketing: () => {} })),
      // One that rejects: refused the same, its rejection not left unhandled (it ended the program, exit 1).
      asyncRejecting: await error(tix.log.countByTime({ eventId: event.id, action: "ticket.reserved", bucketing: async () => { throw new Error("mine"); } })),
      afterAWhile: await new Promise((resolve) => setTimeout(() => resolve("still running"), 50)),
      // One that throws: INVALID_ARGUMENT naming bucketing with what it threw (its own Error passed through untyped).
      throwing: await error(tix.log.countByTime({ eventId: event.id, action: "ticket.reserved", bucketing: () => { throw new RangeError("no buckets today"); } })),
      throwingText: await error(tix.log.countByTime({ eventId: event.id, action: "ticket.reserved", bucketing: () => { throw "nope"; } })),
      unknownAction: await error(tix.log.countByTime({ eventId: event.id, action: "reserve", bucketing: hourly })),
      counted: (await tix.log.countByTime({ eventId: event.id, action: "ticket.reserved", bucketing: hourly })).buckets.map((b) => b.count),
    };
    await tix.close();
    // SQLite counts inside a read transaction: refused the same, and the store reads and writes on.
    const file = await openTix("sqlite:./bucketing-throws.db");
    const gig = (await file.events.create({ name: "Gig", capacity: 10 })).event;
    await file.tickets.reserve({ eventId: gig.id, userId: "alice" });
    answers.sqliteThrowing = await error(file.log.countByTime({ eventId: gig.id, action: "ticket.reserved", bucketing: () => { throw new Error("mine"); } }));
    await file.tickets.reserve({ eventId: gig.id, userId: "bob" });
    answers.sqliteCounted = (await file.log.countByTime({ eventId: gig.id, action: "ticket.reserved", bucketing: hourly })).buckets.map((b) => b.count);
    await file.close();
    console.log(JSON.stringify(answers));
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    noBucketing: "INVALID_ARGUMENT: bucketing: must be a function (span) => ({ size, offset }), sizes and offsets in ms",
    bucketingNumber: "INVALID_ARGUMENT: bucketing: must be a function (span) => ({ size, offset }), sizes and offsets in ms",
    sizeZero: "INVALID_ARGUMENT: bucketing: must answer { size, offset }: size a whole number of ms from 1, offset a whole number of ms; got { size: 0, offset: 0 }",
    // Each field as the call gave it (JSON showed NaN as null); an async bucketing named as such (JSON showed "{}").
    sizeNaN: 'INVALID_ARGUMENT: bucketing: must answer { size, offset }: size a whole number of ms from 1, offset a whole number of ms; got { size: NaN, offset: "0" }',
    async: "INVALID_ARGUMENT: bucketing: must answer { size, offset }: size a whole number of ms from 1, offset a whole number of ms; got a Promise (bucketing is called inside the store's read: it must answer at once, not be async)",
    nothing: "INVALID_ARGUMENT: bucketing: must answer { size, offset }: size a whole number of ms from 1, offset a whole number of ms; got nothing",
    asyncRejecting: "INVALID_ARGUMENT: bucketing: must answer { size, offset }: size a whole number of ms from 1, offset a whole number of ms; got a Promise (bucketing is called inside the store's read: it must answer at once, not be async)",
    afterAWhile: "still running",
    throwing: "INVALID_ARGUMENT: bucketing: threw RangeError: no buckets today",
    throwingText: 'INVALID_ARGUMENT: bucketing: threw the text "nope"',
    unknownAction: expect.stringMatching(/^INVALID_ARGUMENT: action: "reserve" is not one of event.created, .*ticket.purchased/),
    counted: [1],
    sqliteThrowing: "INVALID_ARGUMENT: bucketing: threw Error: mine",
    sqliteCounted: [2],
  });
});

it("refuses an events.exportPage without codes, or with another value, naming what it got (was \"undefined\")", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const error = (promise) => promise.then((answer) => "answered " + JSON.stringify(answer), (failure) => (failure.code ?? failure.name) + ": " + failure.message);
    console.log(JSON.stringify({
      missing: await error(tix.events.exportPage({ limit: 10 })),
      other: await error(tix.events.exportPage({ limit: 10, codes: "show" })),
      hidden: (await tix.events.exportPage({ limit: 10, codes: "hide" })).events.length,
    }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    missing: 'INVALID_ARGUMENT: codes: must be "include" or "hide" (a tier\'s access code is a secret: say which), got nothing',
    other: 'INVALID_ARGUMENT: codes: must be "include" or "hide" (a tier\'s access code is a secret: say which), got the text "show"',
    hidden: 0,
  });
});

it("refuses an events.create mode other than merge or replace, instead of replacing the whole event (a misspelt \"Merge\")", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    await tix.events.create({ id: "evt_gig", name: "Gig", capacity: 10, price: "45.00", venue: "Hall" });
    const error = (promise) => promise.then((answer) => "answered " + JSON.stringify(answer.event.venue), (failure) => failure.code + ": " + failure.message);
    const answers = {
      misspelt: await error(tix.events.create({ id: "evt_gig", name: "Gig", capacity: 12, mode: "Merge" })),
      number: await error(tix.events.create({ id: "evt_gig", name: "Gig", capacity: 12, mode: 1 })),
      merged: await error(tix.events.create({ id: "evt_gig", name: "Gig", capacity: 12, mode: "merge" })),
    };
    const { price, venue, capacity } = await tix.events.get("evt_gig");
    console.log(JSON.stringify({ answers, after: { price, venue, capacity } }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    answers: {
      misspelt: 'INVALID_ARGUMENT: mode: must be "merge" or "replace", got the text "Merge"',
      number: 'INVALID_ARGUMENT: mode: must be "merge" or "replace", got the number 1',
      merged: 'answered "Hall"',
    },
    after: { price: "45.00", venue: "Hall", capacity: 12 },
  });
});

it("refuses tiers, seats or createMany's events that are not lists of the right items (a text, a null in the list) with INVALID_ARGUMENT naming the field, not a TypeError, and creates nothing", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const error = (promise) => promise.then(() => "answered", (failure) => (failure.code ?? failure.name) + ": " + failure.message);
    const answers = {
      tiersText: await error(tix.events.create({ name: "A", tiers: "GA:5:1.00" })),
      tiersNull: await error(tix.events.create({ name: "A", tiers: [null] })),
      seatsText: await error(tix.events.create({ name: "A", seats: "Floor:A-B:1-3" })),
      seatsNumber: await error(tix.events.create({ name: "A", seats: [5] })),
      seatedTiersNull: await error(tix.events.create({ name: "A", seats: ["Floor:A-B:1-3"], tiers: [null] })),
      manyNull: await error(tix.events.createMany({ events: [{ name: "A", capacity: 1 }, null] })),
      onProgress: await error(tix.events.createMany({ events: [{ name: "A", capacity: 1 }], onProgress: true })),
      tierWithoutPrice: (await tix.events.create({ name: "Free", tiers: [{ name: "GA", capacity: 5 }] })).event.tiers.map((tier) => tier.price),
      events: (await tix.events.list()).map((event) => event.name),
    };
    console.log(JSON.stringify(answers));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  const tiersList = 'tiers: must be a list of texts such as "VIP:50:120.00" or objects such as { name: "VIP", capacity: 50, price: "120.00" }';
  expect(JSON.parse(result.stdout)).toEqual({
    tiersText: `INVALID_ARGUMENT: ${tiersList}; got the text "GA:5:1.00"`,
    tiersNull: `INVALID_ARGUMENT: ${tiersList}; item 1 is null`,
    seatsText: 'INVALID_ARGUMENT: seats: must be a list of texts such as "Floor:A-T:1-30"; got the text "Floor:A-B:1-3"',
    seatsNumber: 'INVALID_ARGUMENT: seats: must be a list of texts such as "Floor:A-T:1-30"; item 1 is the number 5',
    seatedTiersNull: `INVALID_ARGUMENT: ${tiersList}; item 1 is null`,
    manyNull: "INVALID_ARGUMENT: events: event 2 must be an object such as { name, capacity }, got nothing",
    onProgress: "INVALID_ARGUMENT: onProgress: must be a function (done, total) => void, got the boolean true",
    tierWithoutPrice: ["0.00"],
    events: ["Free"],
  });
});

it("refuses a reserve's allowSplit that is not true or false, where the text \"false\" would let a group be split", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Hall", seats: ["Floor:A-B:1-3"], price: "10.00" });
    const error = (promise) => promise.then((answer) => "answered " + answer.tickets.length, (failure) => failure.code + ": " + failure.message);
    const answers = {
      text: await error(tix.tickets.reserve({ eventId: event.id, userId: "alice", quantity: 2, allowSplit: "false" })),
      number: await error(tix.tickets.reserve({ eventId: event.id, userId: "alice", quantity: 2, allowSplit: 1 })),
      boolean: await error(tix.tickets.reserve({ eventId: event.id, userId: "bob", quantity: 2, allowSplit: false })),
      tickets: (await tix.tickets.list({ eventId: event.id })).map((ticket) => ticket.userId),
    };
    console.log(JSON.stringify(answers));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    text: 'INVALID_ARGUMENT: allowSplit: must be true or false, got the text "false"',
    number: "INVALID_ARGUMENT: allowSplit: must be true or false, got the number 1",
    boolean: "answered 2",
    tickets: ["bob", "bob"],
  });
});

it("refuses an events.create id that is not text (a number, null, true) with INVALID_ARGUMENT naming id, where it stored an event whose id was 42 or null", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const refusal = (call) => Promise.resolve().then(call).then((answer) => "accepted " + JSON.stringify(answer.event?.id ?? answer.map?.((one) => one.event.id)), (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    const answers = [
      await refusal(() => tix.events.create({ id: 42, name: "Gig", capacity: 1 })),
      await refusal(() => tix.events.create({ id: null, name: "Gig", capacity: 1 })),
      await refusal(() => tix.events.create({ id: true, name: "Gig", capacity: 1, mode: "replace" })),
      await refusal(() => tix.events.createMany({ events: [{ id: 1.5, name: "Gig", capacity: 1 }] })),
    ];
    console.log(JSON.stringify({ answers, events: (await tix.events.list()).length }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    answers: [
      'INVALID_ARGUMENT id: must be a string such as "evt_jazz_evening", got the number 42',
      'INVALID_ARGUMENT id: missing; give a string such as "evt_jazz_evening"',
      'INVALID_ARGUMENT id: must be a string such as "evt_jazz_evening", got the boolean true',
      'INVALID_ARGUMENT id: must be a string such as "evt_jazz_evening", got the number 1.5',
    ],
    events: 0,
  });
});

it("refuses a reserve's seats or a list's status that is neither text nor a list (null, a number, an object) with INVALID_ARGUMENT, not a TypeError, and reserves nothing", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Hall", seats: ["Stalls:A-B:1-5"] });
    const refusal = (call) => Promise.resolve().then(call).then(() => "accepted", (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    const answers = [
      await refusal(() => tix.tickets.reserve({ eventId: event.id, userId: "alice", seats: null })),
      await refusal(() => tix.tickets.reserve({ eventId: event.id, userId: "alice", seats: 12 })),
      await refusal(() => tix.tickets.reserve({ eventId: event.id, userId: "alice", seats: { A1: true } })),
      await refusal(() => tix.tickets.list({ status: 1 })),
      await refusal(() => tix.tickets.page({ status: null, limit: 5 })),
      await refusal(() => tix.tickets.first({ status: ["purchased"] })),
      await refusal(() => tix.tickets.list({ status: "x".repeat(500) })),
    ];
    console.log(JSON.stringify({ answers, tickets: (await tix.tickets.list()).length }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    answers: [
      "INVALID_ARGUMENT seats: must be seat names such as \"A12,A13\" or a list of them, got nothing",
      "INVALID_ARGUMENT seats: must be seat names such as \"A12,A13\" or a list of them, got the number 12",
      "INVALID_ARGUMENT seats: must be seat names such as \"A12,A13\" or a list of them, got an object",
      "INVALID_ARGUMENT status: must be a string such as \"purchased\", got the number 1",
      "INVALID_ARGUMENT status: missing; give a string such as \"purchased\"",
      "INVALID_ARGUMENT status: must be a string such as \"purchased\", got a list",
      expect.stringMatching(/^INVALID_ARGUMENT status: "x{20,80}… \(500 characters\)" is not one of reserved, purchased, cancelled, expired$/),
    ],
    tickets: 0,
  });
});

it("refuses an events.seed actor that is not a user id (7, an object, system), as every other write does, and loads nothing", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const refusal = (call) => Promise.resolve().then(call).then(() => "accepted", (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    const answers = [
      await refusal(() => tix.events.seed({ actor: 7 })),
      await refusal(() => tix.events.seed({ actor: { name: "ops" } })),
      await refusal(() => tix.events.seed({ actor: "system" })),
    ];
    const events = (await tix.events.list()).length;
    await tix.events.seed({ actor: "ops" });
    console.log(JSON.stringify({ answers, events, actors: [...new Set((await tix.log.list()).map((entry) => entry.actor))] }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    answers: [
      'INVALID_ARGUMENT actor: must be a string such as "alice", got the number 7',
      'INVALID_ARGUMENT actor: must be a string such as "alice", got an object',
      expect.stringMatching(/^INVALID_ARGUMENT actor: "system" is reserved for tix itself/),
    ],
    events: 0,
    actors: ["ops"],
  });
});

it("names the id a reading method takes alone as its parameter (eventId, ticketId; tickets.get's userId), as vouchers.list(eventId) and every request does — not the command line's `event id` or `user`", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const refusal = (call) => Promise.resolve().then(call).then(() => "accepted", (error) => isTixError(error) ? error.field + " | " + error.message : "untyped " + error);
    const answers = [
      await refusal(() => tix.events.get("")),
      await refusal(() => tix.events.report(null)),
      await refusal(() => tix.waitlist.show("")),
      await refusal(() => tix.vouchers.list("")),
      await refusal(() => tix.tickets.get(7)),
      await refusal(() => tix.tickets.get("tkt_x", "has space")),
    ];
    console.log(JSON.stringify(answers));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual([
    "eventId | eventId: must be 1 to 255 printable characters",
    'eventId | eventId: missing; give a string such as "evt_jazz_evening"',
    "eventId | eventId: must be 1 to 255 printable characters",
    "eventId | eventId: must be 1 to 255 printable characters",
    'ticketId | ticketId: must be a string such as "tkt_8f3k2m9q4x7w", got the number 7',
    'userId | userId: "has space" must be 1 to 64 printable characters without spaces',
  ]);
});

it("keeps the store and clock inside the namespaces: tix.events, tix.tickets, … have no store or clock field to reach past the use cases (they had, as TypeScript-only private fields)", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const names = ["events", "tickets", "idempotency", "waitlist", "vouchers", "log"];
    const view = await tix.snapshot();
    console.log(JSON.stringify({
      // Its own properties are its methods, bound to it (a method taken off works): nothing else.
      own: Object.fromEntries(names.map((name) => [name, Object.getOwnPropertyNames(tix[name]).filter((own) => typeof tix[name][own] !== "function")])),
      reachable: names.filter((name) => tix[name].store !== undefined || tix[name].clock !== undefined || view[name].store !== undefined),
      stillWorks: (await tix.events.create({ name: "Gig", capacity: 1 })).created,
    }));
    await view.close();
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    own: { events: [], tickets: [], idempotency: [], waitlist: [], vouchers: [], log: [] },
    reachable: [],
    stillWorks: true,
  });
});

it("reads a whole number only from a number or digits as text: a list such as [\"5\"] is refused, not read as 5, and a refused value that is not text is described (got a list, got the boolean true), not quoted as \"[object Object]\"", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 10 });
    const refusal = (call) => Promise.resolve().then(call).then(() => "accepted", (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    const answers = [
      await refusal(() => tix.events.create({ name: "A", capacity: ["5"] })),
      await refusal(() => tix.events.create({ name: "A", capacity: 1, limitPerUser: [3] })),
      await refusal(() => tix.events.create({ name: "A", tiers: [{ name: "VIP", capacity: ["5"] }] })),
      await refusal(() => tix.events.create({ name: "A", tiers: [{ name: "VIP", capacity: [] }] })),
      await refusal(() => tix.tickets.reserve({ eventId: event.id, userId: "alice", quantity: ["2"] })),
      await refusal(() => tix.vouchers.create({ eventId: event.id, code: "P", percent: ["10"] })),
      await refusal(() => tix.vouchers.create({ eventId: event.id, code: "Q", percent: 10, maxUses: [2] })),
      await refusal(() => tix.events.create({ name: "A", capacity: { n: 5 } })),
      await refusal(() => tix.events.create({ name: "A", capacity: true })),
      await refusal(() => tix.events.create({ name: "A", capacity: null })),
      await refusal(() => tix.events.create({ name: "A", capacity: 1, hold: ["10m"] })),
      await refusal(() => tix.tickets.reserve({ eventId: event.id, userId: true })),
    ];
    console.log(JSON.stringify({ answers, events: (await tix.events.list()).length, tickets: (await tix.tickets.list()).length, vouchers: (await tix.vouchers.list()).length }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    answers: [
      "INVALID_ARGUMENT capacity: must be a whole number from 1 to 10000000, got a list",
      'INVALID_ARGUMENT limitPerUser: must be a whole number from 1 to 1000, or "none", got a list',
      'INVALID_ARGUMENT tier "VIP": its capacity must be a whole number from 1 to 10000000, got a list',
      'INVALID_ARGUMENT tier "VIP": its capacity must be a whole number from 1 to 10000000, got a list',
      "INVALID_ARGUMENT quantity: must be a whole number from 1 to 50, got a list",
      "INVALID_ARGUMENT percent: must be a whole number from 1 to 100, got a list",
      "INVALID_ARGUMENT maxUses: must be a whole number from 1 to 1000000, got a list",
      "INVALID_ARGUMENT capacity: must be a whole number from 1 to 10000000, got an object",
      "INVALID_ARGUMENT capacity: must be a whole number from 1 to 10000000, got the boolean true",
      "INVALID_ARGUMENT capacity: must be a whole number from 1 to 10000000, got nothing",
      'INVALID_ARGUMENT hold: must be whole seconds from 1 to 604800, or a duration such as "10m", got a list',
      'INVALID_ARGUMENT userId: must be a string such as "alice", got the boolean true',
    ],
    events: 1,
    tickets: 0,
    vouchers: 0,
  });
});

it("checks vouchers.page's after as a voucher code (a number or an object is INVALID_ARGUMENT saying so, not \"no voucher [object Object]\"), and pages on with a code in any case", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 10 });
    for (const code of ["AAA", "BBB", "CCC"]) await tix.vouchers.create({ eventId: event.id, code, percent: 10 });
    const refusal = (call) => Promise.resolve().then(call).then((page) => page.vouchers.map((voucher) => voucher.code).join(","), (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    console.log(JSON.stringify([
      await refusal(() => tix.vouchers.page({ eventId: event.id, limit: 1, after: { code: "AAA" } })),
      await refusal(() => tix.vouchers.page({ eventId: event.id, limit: 1, after: 42 })),
      await refusal(() => tix.vouchers.page({ eventId: event.id, limit: 1, after: "no such" })),
      await refusal(() => tix.vouchers.page({ eventId: event.id, limit: 1, after: "aaa" })),
    ]));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual([
    'INVALID_ARGUMENT after: must be a string such as "SPRING", got an object',
    'INVALID_ARGUMENT after: must be a string such as "SPRING", got the number 42',
    "INVALID_ARGUMENT after: \"no such\" must be 1 to 64 letters A to Z (no accents), digits, '-' or '_'",
    "BBB",
  ]);
});

it("refuses what a caller's clock answers when it is no time (NaN, text, beyond a Date) with INVALID_ARGUMENT naming clock, before anything is written — it wrote a log entry whose every later read threw a RangeError", () => {
  const result = runModule(`
    import { openTix, isTixError, ManualClock } from "tix";
    const refusal = (call) => Promise.resolve().then(call).then(() => "accepted", (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    const answers = [];
    let time = Number.NaN;
    const tix = await openTix({ clock: { now: () => time } });
    answers.push(await refusal(() => tix.events.create({ name: "Gig", capacity: 1 })));
    time = "2030";
    answers.push(await refusal(() => tix.events.list()));
    time = Date.UTC(2030, 0, 1);
    const written = { events: (await tix.events.list()).length, log: (await tix.log.list()).length };
    await tix.close();
    const clock = new ManualClock("2030-01-01T00:00:00Z");
    const manual = await openTix({ clock });
    clock.advance(1000);
    await manual.events.create({ name: "Gig", capacity: 1 });
    console.log(JSON.stringify({ answers, written, same: manual.clock === clock, at: (await manual.log.list())[0].at }));
    await manual.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    answers: [
      "INVALID_ARGUMENT clock: now() must answer whole milliseconds since 1970, got NaN",
      'INVALID_ARGUMENT clock: now() must answer whole milliseconds since 1970, got "2030"',
    ],
    written: { events: 0, log: 0 },
    same: true,
    at: "2030-01-01T00:00:01.000Z",
  });
});

it("names an events.update with nothing to change as a refusal of the request (request: events.update has nothing to change …), not of a field `event` the call does not have", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ name: "Gig", capacity: 2 });
    const error = await tix.events.update({ id: event.id }).catch((failure) => failure);
    console.log(JSON.stringify({ code: error.code, field: error.field, message: error.message, log: (await tix.log.list()).length }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    code: "INVALID_ARGUMENT",
    field: "request",
    message: "request: events.update has nothing to change; give at least one of name, capacity, venue, startsAt, hold, price, tiers, limitPerUser, salesStart, salesEnd",
    log: 1,
  });
});

it("refuses log.countByTime without its eventId (missing, null) as INVALID_ARGUMENT naming eventId, where it answered undefined as for an event without sales", () => {
  const result = runModule(`
    import { openTix, isTixError } from "tix";
    const tix = await openTix();
    const bucketing = () => ({ size: 60000, offset: 0 });
    const refusal = (call) => Promise.resolve().then(call).then((answer) => "answered " + JSON.stringify(answer), (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    console.log(JSON.stringify([
      await refusal(() => tix.log.countByTime({ action: "ticket.purchased", bucketing })),
      await refusal(() => tix.log.countByTime({ eventId: null, action: "ticket.purchased", bucketing })),
    ]));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual([
    'INVALID_ARGUMENT eventId: missing; give a string such as "evt_jazz_evening"',
    'INVALID_ARGUMENT eventId: missing; give a string such as "evt_jazz_evening"',
  ]);
});

it("refuses a ManualClock start, set() or advance() that is no time (\"garbage\", NaN, an invalid Date, a fraction) with INVALID_ARGUMENT at once, where every later now() answered NaN", () => {
  const result = runModule(`
    import { ManualClock, isTixError } from "tix";
    const refusal = (call) => { try { call(); return "accepted"; } catch (error) { return isTixError(error) ? error.code + " " + error.message : "untyped " + error; } };
    const clock = new ManualClock("2030-01-01T00:00:00Z");
    const answers = [
      refusal(() => new ManualClock("garbage")),
      refusal(() => new ManualClock(Number.NaN)),
      refusal(() => new ManualClock(new Date("not a date"))),
      refusal(() => new ManualClock(1e20)),
      refusal(() => clock.set("later")),
      refusal(() => clock.advance(Number.NaN)),
      refusal(() => clock.advance(0.5)),
    ];
    clock.advance(1000);
    console.log(JSON.stringify({ answers, now: new Date(clock.now()).toISOString(), fromDate: new ManualClock(new Date(0)).now() }));
  `);
  expect(result.stderr).toBe("");
  const time = 'must be a time: whole milliseconds since 1970, a Date or a time such as "2025-06-15T20:00Z", got';
  expect(JSON.parse(result.stdout)).toEqual({
    answers: [
      `INVALID_ARGUMENT start: ${time} "garbage"`,
      `INVALID_ARGUMENT start: ${time} NaN`,
      `INVALID_ARGUMENT start: ${time} an invalid Date`,
      `INVALID_ARGUMENT start: ${time} 100000000000000000000`,
      `INVALID_ARGUMENT time: ${time} "later"`,
      "INVALID_ARGUMENT milliseconds: advance() takes whole milliseconds, got NaN",
      "INVALID_ARGUMENT milliseconds: advance() takes whole milliseconds, got 0.5",
    ],
    now: "2030-01-01T00:00:01.000Z",
    fromDate: 0,
  });
});

it("checks createTix's store and clock as openTix checks its clock: no now() is INVALID_ARGUMENT naming clock at once, and each now() answer is checked before anything is written", () => {
  const result = runModule(`
    import { createTix, openTix, isTixError } from "tix";
    const refusal = (call) => Promise.resolve().then(call).then(() => "accepted", (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
    const opened = await openTix();
    let time = Number.NaN;
    const tix = createTix(opened.store, { now: () => time });
    const answers = [
      await refusal(() => createTix(opened.store, "2030-01-01")),
      await refusal(() => createTix(opened.store, {})),
      await refusal(() => createTix(undefined)),
      await refusal(() => tix.events.seed()),
    ];
    console.log(JSON.stringify({ answers, events: (await opened.events.list()).length }));
    await opened.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({
    answers: [
      "INVALID_ARGUMENT clock: must have a now() answering milliseconds since 1970, as systemClock and ManualClock do",
      "INVALID_ARGUMENT clock: must have a now() answering milliseconds since 1970, as systemClock and ManualClock do",
      "INVALID_ARGUMENT store: createTix takes an opened TixStore (openTix opens one from a URL); got nothing",
      "INVALID_ARGUMENT clock: now() must answer whole milliseconds since 1970, got NaN",
    ],
    events: 0,
  });
});

it("takes a startsAt, salesStart or validUntil in epoch milliseconds only as whole milliseconds within the years ISO text names (0000–9999, before 1970 too): a fraction or 1e20 is INVALID_ARGUMENT, where SQLite failed with its own error and 1e20 with a RangeError", () => {
  const dir = tempDir("tix-library-times-");
  try {
    const result = runModule(`
      import { openTix, isTixError } from "tix";
      const refusal = (call) => Promise.resolve().then(call).then(() => "accepted", (error) => isTixError(error) ? error.code + " " + error.message : "untyped " + error);
      const tix = await openTix(${JSON.stringify(`sqlite:${join(dir.path, "tix.db")}`)});
      const { event } = await tix.events.create({ name: "Gig", capacity: 2 });
      const answers = [
        await refusal(() => tix.events.create({ name: "Half", capacity: 1, startsAt: 1.5 })),
        await refusal(() => tix.events.create({ name: "Far", capacity: 1, startsAt: 1e20 })),
        await refusal(() => tix.events.create({ name: "Early", capacity: 1, startsAt: -8.64e15 })),
        await refusal(() => tix.events.update({ id: event.id, salesStart: Number.POSITIVE_INFINITY })),
        await refusal(() => tix.vouchers.create({ eventId: event.id, code: "OFF", percent: 10, validUntil: 0.25 })),
      ];
      const moon = await tix.events.create({ name: "Moon", capacity: 1, startsAt: Date.UTC(1969, 6, 20) });
      const text = await tix.events.create({ name: "Moon text", capacity: 1, startsAt: "1969-07-20" });
      console.log(JSON.stringify({ answers, moon: moon.event.startsAt, text: text.event.startsAt,
        events: (await tix.events.list()).map((each) => each.name), vouchers: (await tix.vouchers.list({ eventId: event.id })).length }));
      await tix.close();
    `);
    expect(result.stderr).toBe("");
    const time = "must be an ISO-8601 time such as 2025-06-15T20:00Z, a Date, or whole milliseconds since 1970 (years 0000 to 9999), got";
    expect(JSON.parse(result.stdout)).toEqual({
      answers: [
        `INVALID_ARGUMENT startsAt: ${time} 1.5`,
        `INVALID_ARGUMENT startsAt: ${time} 100000000000000000000`,
        `INVALID_ARGUMENT startsAt: ${time} -8640000000000000`,
        `INVALID_ARGUMENT salesStart: ${time} Infinity`,
        `INVALID_ARGUMENT validUntil: ${time} 0.25`,
      ],
      moon: "1969-07-20T00:00:00.000Z",
      text: "1969-07-20T00:00:00.000Z",
      events: ["Gig", "Moon", "Moon text"],
      vouchers: 0,
    });
  } finally {
    dir.remove();
  }
});

it("answers every call of a closed handle (and of a snapshot taken from it) with STORE_CLOSED whatever it is passed, where a bad argument answered INVALID_ARGUMENT first", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const code = (call) => Promise.resolve().then(call).then(() => "accepted", (error) => error.code ?? "untyped " + error);
    const tix = await openTix();
    const view = await tix.snapshot();
    await tix.close();
    console.log(JSON.stringify([
      await code(() => tix.tickets.reserve()),
      await code(() => tix.tickets.reserve({ eventId: 42, userId: "alice" })),
      await code(() => tix.events.get("")),
      await code(() => tix.events.list({ limit: 1 })),
      await code(() => tix.events.create({ name: "Gig", capacity: -1 })),
      await code(() => tix.log.page({ limit: 0 })),
      await code(() => tix.idempotency.lookup(null)),
      await code(() => view.tickets.list({ status: "lost" })),
      await code(() => tix.events.list()),
    ]));
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual(Array(9).fill("STORE_CLOSED"));
});

it("answers events.seats on a general-admission event SEAT_MAP_NOT_FOUND naming the event (it was INVALID_ARGUMENT, as if the id were malformed)", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const { event } = await tix.events.create({ id: "evt_ga", name: "Standing", capacity: 5 });
    const error = await tix.events.seats({ eventId: event.id }).catch((error) => error);
    console.log(JSON.stringify({ code: error.code, message: error.message }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({ code: "SEAT_MAP_NOT_FOUND", message: "evt_ga is a general-admission event: it has no seat map" });
});

it("lets a program take a method off its namespace (const { reserve } = tix.tickets; [ids].map(tix.events.get)): it works as called on it, where it threw a TypeError", () => {
  const result = runModule(`
    import { openTix } from "tix";
    const tix = await openTix();
    const { create } = tix.events;
    const { reserve, get } = tix.tickets;
    const { event } = await create({ name: "Gig", capacity: 2 });
    const { ticket } = await reserve({ eventId: event.id, userId: "alice", key: "k1" });
    const listed = await Promise.all([event.id].map(tix.events.get));
    const refused = await reserve({ eventId: event.id }).catch((error) => error.code);
    console.log(JSON.stringify({ same: (await get(ticket.id)).id === ticket.id, listed: listed.length, refused,
      names: [reserve.name, create.name], enumerable: Object.keys(tix.tickets) }));
    await tix.close();
  `);
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({ same: true, listed: 1, refused: "INVALID_ARGUMENT", names: ["reserve", "create"], enumerable: [] });
});
