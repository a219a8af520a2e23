// The per-request CSP nonce, handed from the Express server through Remix's
// load context into React so that Remix's own inline scripts may run.
import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
