import { defaultModels, knownModels } from "@weft/flow";
import { describe, expect, it } from "vitest";
import { priceFor } from "./prices";

// The builder suggests @weft/flow's knownModels for AI blocks; a suggested model must never end up
// with an unknown cost, so each one needs an entry in the price table.
describe("models suggested by the builder", () => {
  it.each(Object.entries(knownModels).flatMap(([provider, models]) => models.map((model) => [provider, model] as const)))(
    "%s %s has a list price",
    (_provider, model) => {
      expect(priceFor(model)).not.toBeNull();
    },
  );

  it("defaults to models the provider's list suggests", () => {
    expect(knownModels.openai).toContain(defaultModels.openai);
    expect(knownModels.anthropic).toContain(defaultModels.anthropic);
  });
});
