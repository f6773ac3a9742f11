"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { fieldError, formError, fromTRPCError } from "@/features/forms/server-error";
import { useTRPC } from "@/trpc/client";

export function GeneralSection({ workspaceId, name, canManage }: { workspaceId: string; name: string; canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [value, setValue] = useState(name);
  const [saved, setSaved] = useState(false);
  const rename = useMutation(
    trpc.workspaces.rename.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.workspaces.list.queryKey() });
        router.refresh(); // the sidebar is server-rendered
      },
    }),
  );
  const error = fromTRPCError(rename.error);
  const topError = formError(error, ["name"]);

  return (
    <Card id="general" aria-labelledby="general-title" className="scroll-mt-6">
      <CardHeader>
        <CardTitle id="general-title">General</CardTitle>
        <CardDescription>The workspace's name, as its members see it.</CardDescription>
      </CardHeader>
      {canManage ? (
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            setSaved(false);
            rename.mutate({ workspaceId, name: value });
          }}
        >
          <CardContent className="flex flex-col gap-3">
            {topError ? <Alert variant="error">{topError}</Alert> : null}
            <Field id="workspace-name" label="Workspace name" error={fieldError(error, "name")} className="max-w-sm">
              {(control) => (
                <Input
                  {...control}
                  value={value}
                  onChange={(event) => {
                    setValue(event.target.value);
                    setSaved(false);
                  }}
                  autoComplete="organization"
                />
              )}
            </Field>
          </CardContent>
          <CardFooter>
            <Button type="submit" size="sm" pending={rename.isPending} disabled={value.trim() === name}>
              Save name
            </Button>
            <p role="status" className="text-sm text-muted-foreground">
              {saved && !rename.isPending ? "Saved." : ""}
            </p>
          </CardFooter>
        </form>
      ) : (
        <CardContent className="flex flex-col gap-1">
          <p className="text-sm">
            <span className="text-muted-foreground">Name: </span>
            <span className="font-medium">{name}</span>
          </p>
          <p className="text-sm text-muted-foreground">Only admins can rename the workspace.</p>
        </CardContent>
      )}
    </Card>
  );
}
