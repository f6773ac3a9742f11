import { z } from "zod";

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "Enter a valid email address" }));
export const Password = z.string().min(8, "Use at least 8 characters").max(256, "Use at most 256 characters");

export const SignUpInput = z.object({
  email: Email,
  password: Password,
  name: z.string().trim().min(1, "Enter your name").max(100),
});
export type SignUpInput = z.infer<typeof SignUpInput>;

export const SignInInput = z.object({
  email: Email,
  password: z.string().min(1, "Enter your password").max(256),
});
export type SignInInput = z.infer<typeof SignInInput>;
