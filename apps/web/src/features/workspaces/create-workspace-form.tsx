"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { fieldError, formError, fromTRPCError } from "@/features/forms/server-error";
import { useTRPC } from "@/trpc/client";

export function CreateWorkspaceForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.workspaces.create.mutationOptions({
      onSuccess: async (workspace) => {
        await queryClient.invalidateQueries({ queryKey: trpc.workspaces.list.queryKey() });
        router.push(`/w/${workspace.id}`);
      },
    }),
  );
  const error = fromTRPCError(create.error);
  const topError = formError(error, ["name"]);
  const navigating = create.isSuccess;

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate({ name });
      }}
    >
      {topError ? <Alert variant="error">{topError}</Alert> : null}
      <Field id="workspace-name" label="Workspace name" error={fieldError(error, "name")} hint="Usually your team or company. You can rename it later.">
        {(control) => (
          <Input {...control} name="name" value={name} onChange={(event) => setName(event.target.value)} placeholder="Acme" autoComplete="organization" autoFocus />
        )}
      </Field>
      <Button type="submit" pending={create.isPending || navigating} className="w-full">
        Create workspace
      </Button>
    </form>
  );
}
