import { Button, Form, Input, theme } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { ProblemAlert } from "../components/ProblemAlert";
import { rememberLanguage } from "../i18n";

interface Credentials {
  username: string;
  password: string;
}

export function Login() {
  const { t, i18n } = useTranslation();
  const { me, signIn } = useAuth();
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? "/";
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { token } = theme.useToken();
  if (me !== null) return <Navigate to={from} replace />;

  const submit = async (values: Credentials) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(values.username, values.password);
      navigate(from, { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ display: "flex", justifyContent: "center", alignItems: "center", minHeight: "100vh", background: "#f5f5f5" }}>
      {/* plain elements drawn with the theme's tokens: Ant Design's Card would bring its tabs and
          skeletons, and Typography its editable text and tooltips, to the sign-in page */}
      <section
        aria-labelledby="sign-in-title"
        style={{
          width: 360,
          maxWidth: "92vw",
          padding: token.paddingLG,
          background: token.colorBgContainer,
          border: `${token.lineWidth}px solid ${token.colorBorderSecondary}`,
          borderRadius: token.borderRadiusLG,
        }}
      >
        <h1 id="sign-in-title" style={{ fontSize: 22, fontWeight: 600, margin: "0 0 8px" }}>{t("app.name")}</h1>
        <p style={{ margin: "0 0 12px" }}>{t("login.title")}</p>
        {error !== null && <ProblemAlert error={error} />}
        <Form<Credentials> layout="vertical" onFinish={submit} requiredMark={false} style={{ marginTop: 12 }}>
          <Form.Item
            label={t("login.username")}
            name="username"
            rules={[{ required: true, message: t("login.required", { field: t("login.username") }) }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label={t("login.password")}
            name="password"
            rules={[{ required: true, message: t("login.required", { field: t("login.password") }) }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t("login.submit")}
          </Button>
        </Form>
        <Button type="link" onClick={() => void rememberLanguage(i18n.language === "en" ? "zh-CN" : "en")}>
          {t("app.language")}
        </Button>
      </section>
    </main>
  );
}
